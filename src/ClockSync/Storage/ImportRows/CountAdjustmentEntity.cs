namespace ClockSync.Storage.ImportRows;

/// <summary>
/// A change to an import's counters made after its batch's first post: one retry attempt, or an operator parking or
/// re-queuing a failed batch. RowKey = <c>count-{key}</c>, the key naming the event (see
/// <see cref="Failures.FailedBatchCountKeys"/>), so writing the same event again replaces its own row instead of
/// counting it twice.
/// </summary>
public sealed class CountAdjustmentEntity : PostingCountsEntity
{
    public const string RowKeyPrefix = "count-";

    /// <summary>What made the change (retry, operator), for whoever reads the partition by hand.</summary>
    public string Source { get; set; } = string.Empty;

    public DateTimeOffset RecordedUtc { get; set; }

    public static string RowKeyFor(string key) => RowKeyPrefix + key;
}
