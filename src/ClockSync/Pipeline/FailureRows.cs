using System.Globalization;
using ClockSync.Feishu.Http;
using ClockSync.Pipeline.Failures;
using ClockSync.Storage.Failures;

namespace ClockSync.Pipeline;

/// <summary>Builds <c>FailedBatches</c> rows from the policy's parts, under keys that never meet (see <see cref="FailedBatchEntity"/>).</summary>
internal static class FailureRows
{
    public static string RetryRowKey(int batchNo) => string.Create(CultureInfo.InvariantCulture, $"{batchNo:D6}-r");

    public static string ParkedRowKey(int batchNo, int attempt) => string.Create(CultureInfo.InvariantCulture, $"{batchNo:D6}-p{attempt}");

    /// <summary>
    /// A part parked out of <paramref name="row"/> on <paramref name="attempt"/>: named after the row, the attempt and the
    /// re-queue round, so it can overwrite neither the row being retried nor a part parked in another round.
    /// </summary>
    public static string ParkedPartKey(FailedBatchEntity row, int attempt, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{row.RowKey}.p{attempt}q{row.Requeues}{(index == 0 ? string.Empty : "-" + (index + 1).ToString(CultureInfo.InvariantCulture))}");

    public static FailedBatchEntity Create(string importId, int batchNo, string rowKey, FailedBatchPart part, int attemptCount, DateTimeOffset now)
    {
        var row = new FailedBatchEntity
        {
            PartitionKey = importId,
            RowKey = rowKey,
            BatchNo = batchNo,
            AttemptCount = attemptCount,
            AuthFailures = part.AuthFailures,
            UpdatedUtc = now,
        };
        Apply(row, part, now);
        return row;
    }

    /// <summary>Sets the part's state, due time, reason and error on a row.</summary>
    public static void Apply(FailedBatchEntity row, FailedBatchPart part, DateTimeOffset now)
    {
        row.State = part.Fate == FailedBatchFate.Parked ? FailedBatchEntity.Parked : FailedBatchEntity.Pending;
        row.ParkReason = part.Fate == FailedBatchFate.Parked ? part.Reason : null;
        row.NextDueUtc = part.Fate == FailedBatchFate.Pending ? part.NextDueUtc : now;
        row.AuthFailures = part.AuthFailures;
        row.UpdatedUtc = now;
        SetError(row, part.Error);
    }

    public static void SetError(FailedBatchEntity row, FeishuCallError? error)
    {
        row.LastErrorCode = error?.Code;
        row.LastHttpStatus = error?.HttpStatus;
        row.LastErrorMessage = error?.Message;
        row.LastLogId = error?.LogId;
    }
}
