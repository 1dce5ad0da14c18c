namespace ClockSync.Feishu.Flows;

/// <summary>One <c>query</c> call: up to 50 users over one day (Unix seconds, both ends inclusive).</summary>
public sealed record FeishuQueryWindow(IReadOnlyList<string> UserIds, long CheckTimeFrom, long CheckTimeTo);
