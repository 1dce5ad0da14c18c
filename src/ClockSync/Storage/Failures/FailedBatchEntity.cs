using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Failures;

/// <summary>
/// A batch (or the failed part of one) waiting for a retry, or parked. PartitionKey = import id. A first post writes
/// <c>{batchNo:D6}-r</c> (the retryable part) and <c>{batchNo:D6}-p1</c> (a parked part), so a re-recorded outcome
/// overwrites its own rows; a retry that parks part of a row writes <c>{rowKey}.p{attempt}q{round}</c>, a key no other
/// attempt or re-queue round of that row can produce.
/// </summary>
public sealed class FailedBatchEntity : ITableEntity
{
    public const string Pending = "Pending";
    public const string Parked = "Parked";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int BatchNo { get; set; }

    /// <summary>The records as JSON (<see cref="Batches.BatchRecord"/> list), or empty when they are in <see cref="RecordsBlob"/>.</summary>
    public string Records { get; set; } = "[]";

    /// <summary>The claim-check blob holding the records when their JSON would not fit a property; null otherwise.</summary>
    public string? RecordsBlob { get; set; }

    public int RecordCount { get; set; }

    public int AttemptCount { get; set; }

    /// <summary>
    /// How often an operator brought this row back from parked (which restarts <see cref="AttemptCount"/>); with the
    /// attempt number it names each retry attempt uniquely (<see cref="FailedBatchCountKeys"/>).
    /// </summary>
    public int Requeues { get; set; }

    public int AuthFailures { get; set; }

    /// <summary>When the row may be retried; also the end of a claim's lease while a retry run holds it.</summary>
    public DateTimeOffset NextDueUtc { get; set; }

    public string State { get; set; } = Pending;

    public string? ParkReason { get; set; }

    public int? LastErrorCode { get; set; }

    public int? LastHttpStatus { get; set; }

    public string? LastErrorMessage { get; set; }

    public string? LastLogId { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTimeOffset? UpdatedUtc { get; set; }
}
