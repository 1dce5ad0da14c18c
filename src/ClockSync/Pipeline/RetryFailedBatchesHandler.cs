using System.Globalization;
using ClockSync.Feishu;
using ClockSync.Storage;
using ClockSync.Storage.CallCounts;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

/// <summary>
/// Retries the failed batches that are due, with backoff, and parks the ones that cannot succeed. Each row is first
/// claimed with an ETag-guarded update that pushes its due time past a lease, so two runs (two instances, or a run
/// overlapping the previous one) never retry the same row; a run that dies releases its rows when the lease lapses.
/// </summary>
/// <remarks>
/// Each attempt's change to the import's counters is written once, before the row is deleted or rewritten, under a key
/// naming the row, its re-queue round and the attempt (<see cref="FailedBatchCountKeys"/>). A crash between the two
/// re-posts the records after the lease (harmless: <c>idempotent_id</c>) as the same attempt, whose count then replaces
/// the first one rather than adding to it.
/// </remarks>
public sealed class RetryFailedBatchesHandler(
    PipelineStorage storage,
    FailedBatchStore failures,
    ImportStore imports,
    BatchPoster poster,
    RetryBackoff backoff,
    IOptions<RetryOptions> options,
    PipelineMetrics metrics,
    TimeProvider time,
    TableFeishuCallCounter callCounts,
    ImportSettledNotifier settled,
    ILogger<RetryFailedBatchesHandler> logger)
{
    private readonly string _claimant = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

    private RetryOptions Retry => options.Value;

    public async Task<RetryRunSummary> HandleAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var due = await failures.FindDueAsync(now, Retry.MaxRowsPerRun, cancellationToken).ConfigureAwait(false);
        int claimed = 0, posted = 0, rescheduled = 0, parked = 0;
        foreach (var row in due)
        {
            if (!await failures.TryClaimAsync(row, _claimant, time.GetUtcNow() + Retry.ClaimLease, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            claimed++;
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImportId"] = row.PartitionKey, ["BatchNo"] = row.BatchNo });
            switch (await RetryAsync(row, cancellationToken).ConfigureAwait(false))
            {
                case Disposition.Posted:
                    posted++;
                    break;
                case Disposition.Rescheduled:
                    rescheduled++;
                    break;
                default:
                    parked++;
                    break;
            }
        }

        await callCounts.FlushAsync(cancellationToken).ConfigureAwait(false);
        await settled.AfterRetryRunAsync(due.Select(row => row.PartitionKey), cancellationToken).ConfigureAwait(false);
        var summary = new RetryRunSummary(claimed, posted, rescheduled, parked);
        RetryLog.Summary(logger, due.Count, summary.Claimed, summary.Posted, summary.Rescheduled, summary.Parked);
        return summary;
    }

    private enum Disposition
    {
        Posted,
        Rescheduled,
        Parked,
    }

    private async Task<Disposition> RetryAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        var records = FailedBatchStore.DeserializeRecords(row.Records);
        var outcome = await poster.PostAsync(records, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var attempt = new Attempt(
            row.AttemptCount + 1,
            FailedBatchCountKeys.Attempt(row, row.AttemptCount + 1),
            new PostingCounts(FeishuPosts: 1, Throttled: BatchPoster.IsThrottled(outcome) ? 1 : 0));
        switch (outcome)
        {
            case FeishuBatchOutcome.Accepted:
                await CountAsync(row, attempt.Key, attempt.Counted with { PunchesPosted = records.Count, BatchesPosted = 1 }, cancellationToken).ConfigureAwait(false);
                await failures.DeleteClaimedAsync(row, cancellationToken).ConfigureAwait(false);
                metrics.BatchesPosted.Add(1);
                RetryLog.Posted(logger, row.PartitionKey, row.BatchNo, records.Count, attempt.Number);
                return Disposition.Posted;

            case FeishuBatchOutcome.PartiallyAccepted partial:
                var failedIds = partial.Failures.Select(failure => failure.Record.IdempotentId).ToHashSet(StringComparer.Ordinal);
                var hopeless = partial.Failures.Where(failure => !failure.IsRetryable).ToList();
                var hopelessIds = hopeless.Select(failure => failure.Record.IdempotentId).ToHashSet(StringComparer.Ordinal);
                var parkedRows = 0;
                if (hopeless.Count > 0)
                {
                    var parkedPart = FailureRows.Create(row.PartitionKey, row.BatchNo, FailureRows.ParkedRowKey(row.BatchNo, attempt.Number),
                        records.Where(record => hopelessIds.Contains(record.IdempotentId)).ToList(), hopeless[0].Error);
                    parkedPart.AttemptCount = attempt.Number;
                    parkedPart.State = FailedBatchEntity.Parked;
                    parkedPart.ParkReason = FailureRows.ParkReason(hopeless);
                    parkedPart.NextDueUtc = now;
                    await failures.UpsertAsync(parkedPart, cancellationToken).ConfigureAwait(false);
                    parkedRows = 1;
                    metrics.BatchesParked.Add(1);
                }

                var remaining = records.Where(record => failedIds.Contains(record.IdempotentId) && !hopelessIds.Contains(record.IdempotentId)).ToList();
                var partly = attempt with
                {
                    Counted = attempt.Counted with { PunchesPosted = records.Count - failedIds.Count, PunchesParked = hopelessIds.Count, BatchesParked = parkedRows },
                };
                if (remaining.Count == 0)
                {
                    await CountAsync(row, partly.Key, partly.Counted, cancellationToken).ConfigureAwait(false);
                    await failures.DeleteClaimedAsync(row, cancellationToken).ConfigureAwait(false);
                    return hopeless.Count > 0 ? Disposition.Parked : Disposition.Posted;
                }

                row.Records = FailedBatchStore.SerializeRecords(remaining);
                row.RecordCount = remaining.Count;
                return await RescheduleOrParkAsync(row, partly, partial.Failures.First(failure => failure.IsRetryable).Error, partial.RetryAfter, authFailure: false, cancellationToken)
                    .ConfigureAwait(false);

            case FeishuBatchOutcome.TransientFailure transient:
                return await RescheduleOrParkAsync(row, attempt, transient.Error, transient.RetryAfter, authFailure: false, cancellationToken).ConfigureAwait(false);

            case FeishuBatchOutcome.AuthFailure auth:
                return await RescheduleOrParkAsync(row, attempt, auth.Error, retryAfter: null, authFailure: true, cancellationToken).ConfigureAwait(false);

            case FeishuBatchOutcome.PermanentFailure permanent:
                row.AttemptCount = attempt.Number;
                return await ParkAsync(row, attempt, permanent.Error, "Feishu refused the batch permanently (" + FailureRows.Describe(permanent.Error) + ")", cancellationToken)
                    .ConfigureAwait(false);

            default:
                throw new InvalidOperationException($"Unknown Feishu outcome {outcome?.GetType().Name}.");
        }
    }

    private async Task<Disposition> RescheduleOrParkAsync(
        FailedBatchEntity row, Attempt attempt, FeishuCallError error, TimeSpan? retryAfter, bool authFailure, CancellationToken cancellationToken)
    {
        row.AttemptCount = attempt.Number;
        row.AuthFailures = authFailure ? row.AuthFailures + 1 : 0;
        if (authFailure && row.AuthFailures >= Retry.AuthFailuresBeforeParking)
        {
            return await ParkAsync(row, attempt, error, FailureRows.AuthParkReason, cancellationToken).ConfigureAwait(false);
        }

        if (attempt.Number >= Retry.MaxAttempts)
        {
            return await ParkAsync(row, attempt, error, string.Create(CultureInfo.InvariantCulture,
                $"gave up after {attempt.Number} attempts; last error {FailureRows.Describe(error)}; users: {Users(row)}"), cancellationToken).ConfigureAwait(false);
        }

        await CountAsync(row, attempt.Key, attempt.Counted, cancellationToken).ConfigureAwait(false);
        FailureRows.SetError(row, error);
        row.NextDueUtc = time.GetUtcNow() + backoff.DelayAfter(attempt.Number, retryAfter);
        row.UpdatedUtc = time.GetUtcNow();
        await failures.ReplaceClaimedAsync(row, cancellationToken).ConfigureAwait(false);
        metrics.BatchesFailed.Add(1);
        RetryLog.Rescheduled(logger, row.PartitionKey, row.BatchNo, attempt.Number, row.NextDueUtc, error.Code, error.LogId);
        return Disposition.Rescheduled;
    }

    private static string Users(FailedBatchEntity row) =>
        string.Join(", ", FailedBatchStore.DeserializeRecords(row.Records).Select(record => record.UserId).Distinct(StringComparer.Ordinal));

    private async Task<Disposition> ParkAsync(FailedBatchEntity row, Attempt attempt, FeishuCallError error, string reason, CancellationToken cancellationToken)
    {
        FailureRows.SetError(row, error);
        row.State = FailedBatchEntity.Parked;
        row.ParkReason = reason;
        row.UpdatedUtc = time.GetUtcNow();
        var counted = attempt.Counted with
        {
            PunchesParked = attempt.Counted.PunchesParked + row.RecordCount,
            BatchesParked = attempt.Counted.BatchesParked + 1,
        };
        await CountAsync(row, attempt.Key, counted, cancellationToken).ConfigureAwait(false);
        await failures.ReplaceClaimedAsync(row, cancellationToken).ConfigureAwait(false);
        metrics.BatchesParked.Add(1);
        RetryLog.Parked(logger, row.PartitionKey, row.BatchNo, row.AttemptCount, reason);
        return Disposition.Parked;
    }

    /// <summary>The attempt's whole change to the counters, written once (whatever path it takes) before the row is deleted or rewritten.</summary>
    private Task CountAsync(FailedBatchEntity row, string key, PostingCounts change, CancellationToken cancellationToken) =>
        imports.RecordAdjustmentAsync(row.PartitionKey, key, "retry", change, cancellationToken);

    /// <summary>One retry attempt: its number, its count key (taken before the row's attempt count moves) and what it counted so far.</summary>
    private sealed record Attempt(int Number, string Key, PostingCounts Counted);
}

internal static partial class RetryLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Retry run: {Due} due, {Claimed} claimed, {Posted} posted, {Rescheduled} rescheduled, {Parked} parked")]
    public static partial void Summary(ILogger logger, int due, int claimed, int posted, int rescheduled, int parked);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Import {ImportId} batch {BatchNo}: {Records} records posted on attempt {Attempt}")]
    public static partial void Posted(ILogger logger, string importId, int batchNo, int records, int attempt);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Import {ImportId} batch {BatchNo}: attempt {Attempt} failed (code {Code}, log id {LogId}); next try at {NextDue}")]
    public static partial void Rescheduled(ILogger logger, string importId, int batchNo, int attempt, DateTimeOffset nextDue, int? code, string? logId);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Import {ImportId} batch {BatchNo} parked after {Attempt} attempts: {Reason}")]
    public static partial void Parked(ILogger logger, string importId, int batchNo, int attempt, string reason);
}
