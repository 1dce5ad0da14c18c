namespace ClockSync.Feishu.Accounting;

/// <summary>The Open API endpoints ClockSync calls, for call accounting.</summary>
public enum FeishuCallKind
{
    TenantToken,
    BatchCreate,
    Query,

    /// <summary><c>im/v1/messages</c>: a card to a chat. Counted as a call, since whether IM counts toward the monthly
    /// quota is not documented.</summary>
    Message,
}
