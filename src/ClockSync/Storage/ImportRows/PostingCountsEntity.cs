using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// A row of an import's partition that changes its posting counters: a <see cref="BatchMarkerEntity"/> (a batch's
/// first post) or a <see cref="CountAdjustmentEntity"/> (a retry attempt, an operator's park or re-queue). Nothing ever
/// updates a counter in place: each change is a row of its own, so concurrent posts never race on one row.
/// </summary>
public abstract class PostingCountsEntity : ITableEntity
{
    /// <summary>The columns a totals query selects.</summary>
    internal static readonly string[] CountColumns =
    [
        nameof(PartitionKey), nameof(RowKey), nameof(FeishuPosts), nameof(Throttled), nameof(PunchesPosted), nameof(PunchesParked),
        nameof(BatchesPosted), nameof(BatchesFailed), nameof(BatchesParked), nameof(PunchesHeld),
    ];

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary><c>batch_create</c> outcomes recorded (first posts and retries).</summary>
    public long FeishuPosts { get; set; }

    public long Throttled { get; set; }

    public long PunchesPosted { get; set; }

    public long PunchesParked { get; set; }

    public int BatchesPosted { get; set; }

    public int BatchesFailed { get; set; }

    public int BatchesParked { get; set; }

    /// <summary>Punches set aside for a user Feishu does not know (negative when a release posts them).</summary>
    public long PunchesHeld { get; set; }

    public void SetCounts(PostingCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        FeishuPosts = counts.FeishuPosts;
        Throttled = counts.Throttled;
        PunchesPosted = counts.PunchesPosted;
        PunchesParked = counts.PunchesParked;
        BatchesPosted = counts.BatchesPosted;
        BatchesFailed = counts.BatchesFailed;
        BatchesParked = counts.BatchesParked;
        PunchesHeld = counts.PunchesHeld;
    }

    /// <summary>The change a row read with <see cref="CountColumns"/> carries; a column it lacks counts as zero.</summary>
    internal static PostingCounts ReadCounts(TableEntity row) => new(
        Read(row, nameof(FeishuPosts)),
        Read(row, nameof(Throttled)),
        Read(row, nameof(PunchesPosted)),
        Read(row, nameof(PunchesParked)),
        (int)Read(row, nameof(BatchesPosted)),
        (int)Read(row, nameof(BatchesFailed)),
        (int)Read(row, nameof(BatchesParked)),
        Read(row, nameof(PunchesHeld)));

    private static long Read(TableEntity row, string column) =>
        row.TryGetValue(column, out var value) && value is not null ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
}
