namespace ClockSync.Feishu.Flows;

/// <summary>The attendance endpoints ClockSync uses. Outcomes are values; only cancellation and programming
/// errors (argument exceptions) are thrown.</summary>
public interface IFeishuAttendanceClient
{
    /// <summary>Maximum records per <c>batch_create</c>, and user ids per <c>query</c>.</summary>
    public const int MaxBatchSize = 50;

    /// <summary>
    /// Posts 1–50 records. When Feishu fails a multi-user request as a whole with <c>1220004</c>, the users are
    /// split and re-sent until the offending ones are isolated, so the other users' punches still land.
    /// </summary>
    /// <exception cref="ArgumentException">No records, more than 50, or a required field empty.</exception>
    Task<FeishuBatchOutcome> BatchCreateAsync(IReadOnlyList<FeishuFlowRecord> records, CancellationToken cancellationToken);

    /// <summary>The valid flows of 1–50 users between two Unix-second instants (both inclusive).</summary>
    /// <exception cref="ArgumentException">No users, more than 50, or an empty range.</exception>
    Task<FeishuQueryOutcome> QueryFlowsAsync(
        IReadOnlyList<string> userIds,
        long checkTimeFrom,
        long checkTimeTo,
        bool includeTerminatedUsers,
        CancellationToken cancellationToken);
}
