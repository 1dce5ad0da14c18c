namespace ClockSync.Feishu.Accounting;

/// <summary>
/// Counts every HTTP request sent to the Open API (each attempt, including transport re-sends and throttled ones),
/// per app, endpoint and day, so operators on the free edition's monthly quota can see what an import cost.
/// </summary>
/// <remarks>
/// Days are UTC days. Counts from hosts in different zones then add up without conversion, and the boundary
/// never moves with daylight saving; a Feishu month (Beijing time) starts 8 hours before the UTC month, which is
/// the size of the error when summing UTC days into a quota month.
/// </remarks>
public interface IFeishuCallCounter
{
    /// <summary>Records one request sent at <paramref name="sentAt"/>.</summary>
    void Count(string appId, FeishuCallKind kind, DateTimeOffset sentAt);

    /// <summary>The counts so far, ordered by day, app and endpoint.</summary>
    IReadOnlyList<FeishuCallTally> Snapshot();
}
