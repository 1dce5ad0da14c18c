namespace ClockSync.Feishu.Accounting;

/// <summary>How many HTTP requests one app sent to one endpoint on one UTC day.</summary>
public sealed record FeishuCallTally(string AppId, DateOnly UtcDay, FeishuCallKind Kind, long Count);
