namespace ClockSync.Feishu;

/// <summary>The Open API endpoints ClockSync calls, for call accounting.</summary>
public enum FeishuCallKind
{
    TenantToken,
    BatchCreate,
    Query,
}
