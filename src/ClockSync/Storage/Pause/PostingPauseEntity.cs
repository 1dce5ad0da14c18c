using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Pause;

/// <summary>
/// The app-wide posting pause: one row (PartitionKey <see cref="Partition"/>, RowKey <see cref="Key"/>) in the
/// <c>FeishuCalls</c> table, apart from the per-app partitions. Only <see cref="PostingPause"/> reads and writes it.
/// </summary>
public sealed class PostingPauseEntity : ITableEntity
{
    public const string Partition = "~posting";
    public const string Key = "pause";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = Key;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary><see cref="PostingPauseReason"/> as text.</summary>
    public string Reason { get; set; } = string.Empty;

    public DateTimeOffset StartedUtc { get; set; }

    /// <summary>When the pause ends by itself: the start of the next quota month (China time).</summary>
    public DateTimeOffset UntilUtc { get; set; }

    /// <summary>For a budget pause: the budget that was used up (a larger one lifts the pause).</summary>
    public long? Budget { get; set; }

    /// <summary>What Feishu (or the budget) said, for operators.</summary>
    public string Message { get; set; } = string.Empty;

    public string? LogId { get; set; }
}
