namespace ClockSync.Feishu.Flows;

/// <summary>A flow as <c>user_flows/query</c> returns it (only valid flows are returned).</summary>
public sealed record FeishuUserFlow(
    string UserId,
    string? CreatorId,
    string? LocationName,
    long CheckTime,
    string? Comment,
    string? RecordId,
    string? ExternalId,
    string? IdempotentId,
    FeishuFlowType? Type,
    bool IsField,
    bool IsWifi);
