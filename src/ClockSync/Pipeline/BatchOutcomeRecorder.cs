using ClockSync.Feishu;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Pause;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

/// <summary>
/// Records what became of a batch's first post, durably, before the queue message completes: first the
/// <c>FailedBatches</c> rows (upserts with deterministic keys, so recording twice writes the same rows), then the batch
/// marker, which carries the post's change to the import's counters (one insert: the marker and its counts cannot part).
/// A crash anywhere before the insert leaves no marker, so the redelivered message posts again — harmless, because every
/// record carries its fingerprint as <c>idempotent_id</c>.
/// </summary>
public sealed class BatchOutcomeRecorder(
    ImportStore imports,
    FailedBatchStore failures,
    RetryBackoff backoff,
    IOptions<RetryOptions> retryOptions,
    PipelineMetrics metrics,
    PostingPause pause,
    TimeProvider time)
{
    private RetryOptions Retry => retryOptions.Value;

    /// <returns>The marker outcome written (Posted, Partial, Failed, Parked), or null when it was already recorded.</returns>
    public async Task<string?> RecordFirstPostAsync(
        string importId, int batchNo, IReadOnlyList<BatchRecord> records, FeishuBatchOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = time.GetUtcNow();
        var posted = 0L;
        var parked = 0L;
        var failedRows = 0;
        var parkedRows = 0;
        string marker;
        switch (outcome)
        {
            case FeishuBatchOutcome.Accepted:
                posted = records.Count;
                marker = "Posted";
                break;

            case FeishuBatchOutcome.PartiallyAccepted partial:
                var byId = records.ToDictionary(record => record.IdempotentId, StringComparer.Ordinal);
                var retryable = partial.Failures.Where(failure => failure.IsRetryable).ToList();
                var hopeless = partial.Failures.Where(failure => !failure.IsRetryable).ToList();
                if (retryable.Count > 0)
                {
                    var row = FailureRows.Create(importId, batchNo, FailureRows.RetryRowKey(batchNo), Pick(byId, retryable), retryable[0].Error);
                    row.AttemptCount = 1;
                    row.NextDueUtc = now + backoff.DelayAfter(1, partial.RetryAfter);
                    await failures.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
                    failedRows++;
                }

                if (hopeless.Count > 0)
                {
                    var row = FailureRows.Create(importId, batchNo, FailureRows.ParkedRowKey(batchNo, 1), Pick(byId, hopeless), hopeless[0].Error);
                    row.AttemptCount = 1;
                    row.State = FailedBatchEntity.Parked;
                    row.ParkReason = FailureRows.ParkReason(hopeless);
                    row.NextDueUtc = now;
                    await failures.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
                    parked = row.RecordCount;
                    parkedRows++;
                }

                posted = records.Count - partial.Failures.Select(failure => failure.Record.IdempotentId).Distinct(StringComparer.Ordinal).Count();
                marker = "Partial";
                break;

            case FeishuBatchOutcome.TransientFailure transient:
                await failures.UpsertAsync(PendingRow(importId, batchNo, records, transient.Error, authFailures: 0, backoff.DelayAfter(1, transient.RetryAfter), now), cancellationToken)
                    .ConfigureAwait(false);
                failedRows++;
                marker = "Failed";
                break;

            case FeishuBatchOutcome.QuotaExhausted quota:
                // Waiting for the quota (or budget) is not an attempt: pending, never parked, due when the pause ends.
                var pendingRow = PendingRow(importId, batchNo, records, quota.Error, authFailures: 0, TimeSpan.Zero, now);
                pendingRow.AttemptCount = 0;
                pendingRow.NextDueUtc = (await pause.CurrentAsync(cancellationToken).ConfigureAwait(false))?.UntilUtc ?? now + backoff.DelayAfter(1, null);
                await failures.UpsertAsync(pendingRow, cancellationToken).ConfigureAwait(false);
                failedRows++;
                marker = "Failed";
                break;

            case FeishuBatchOutcome.AuthFailure auth when Retry.AuthFailuresBeforeParking > 1 && Retry.MaxAttempts > 1:
                await failures.UpsertAsync(PendingRow(importId, batchNo, records, auth.Error, authFailures: 1, backoff.DelayAfter(1, null), now), cancellationToken)
                    .ConfigureAwait(false);
                failedRows++;
                marker = "Failed";
                break;

            case FeishuBatchOutcome.AuthFailure auth:
                await failures.UpsertAsync(ParkedRow(importId, batchNo, records, auth.Error, FailureRows.AuthParkReason, now), cancellationToken).ConfigureAwait(false);
                parked = records.Count;
                parkedRows++;
                marker = "Parked";
                break;

            case FeishuBatchOutcome.PermanentFailure permanent:
                var reason = "Feishu refused the batch permanently (" + FailureRows.Describe(permanent.Error) + ")"
                    + (permanent.FailedUserIds.Count > 0 ? "; users refused: " + string.Join(", ", permanent.FailedUserIds) : string.Empty);
                await failures.UpsertAsync(ParkedRow(importId, batchNo, records, permanent.Error, reason, now), cancellationToken).ConfigureAwait(false);
                parked = records.Count;
                parkedRows++;
                marker = "Parked";
                break;

            default:
                throw new InvalidOperationException($"Unknown Feishu outcome {outcome?.GetType().Name}.");
        }

        var throttled = BatchPoster.IsThrottled(outcome) ? 1 : 0;
        var change = new PostingCounts(
            FeishuPosts: 1,
            Throttled: throttled,
            PunchesPosted: posted,
            PunchesParked: parked,
            BatchesPosted: posted > 0 && failedRows == 0 && parkedRows == 0 ? 1 : 0,
            BatchesFailed: failedRows,
            BatchesParked: parkedRows);
        var recorded = await imports.RecordBatchAsync(importId, batchNo, marker, records.Count, change, cancellationToken).ConfigureAwait(false);
        if (!recorded)
        {
            return null;
        }

        if (failedRows == 0 && parkedRows == 0)
        {
            metrics.BatchesPosted.Add(1);
        }

        metrics.BatchesFailed.Add(failedRows);
        metrics.BatchesParked.Add(parkedRows);
        return marker;
    }

    private static List<BatchRecord> Pick(Dictionary<string, BatchRecord> byId, IEnumerable<FeishuRecordFailure> failed) =>
        failed.Select(failure => failure.Record.IdempotentId).Distinct(StringComparer.Ordinal)
            .Select(id => byId.TryGetValue(id, out var record) ? record : null)
            .OfType<BatchRecord>()
            .ToList();

    private static FailedBatchEntity PendingRow(
        string importId, int batchNo, IReadOnlyList<BatchRecord> records, FeishuCallError error, int authFailures, TimeSpan delay, DateTimeOffset now)
    {
        var row = FailureRows.Create(importId, batchNo, FailureRows.RetryRowKey(batchNo), records, error);
        row.AttemptCount = 1;
        row.AuthFailures = authFailures;
        row.NextDueUtc = now + delay;
        row.UpdatedUtc = now;
        return row;
    }

    private static FailedBatchEntity ParkedRow(
        string importId, int batchNo, IReadOnlyList<BatchRecord> records, FeishuCallError error, string reason, DateTimeOffset now)
    {
        var row = FailureRows.Create(importId, batchNo, FailureRows.ParkedRowKey(batchNo, 1), records, error);
        row.AttemptCount = 1;
        row.State = FailedBatchEntity.Parked;
        row.ParkReason = reason;
        row.NextDueUtc = now;
        row.UpdatedUtc = now;
        return row;
    }
}
