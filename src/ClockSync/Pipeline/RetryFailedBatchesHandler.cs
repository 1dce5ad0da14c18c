using System.Globalization;
using ClockSync.Notify;
using ClockSync.Pipeline.Failures;
using ClockSync.Storage;
using ClockSync.Storage.CallCounts;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Pause;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

/// <summary>
/// Retries the failed batches that are due, with backoff, and parks the ones that cannot succeed
/// (<see cref="FailedBatchPolicy"/> decides which). Each row is first
/// claimed with an ETag-guarded update that pushes its due time past a lease, so two runs (two instances, or a run
/// overlapping the previous one) never retry the same row; a run that dies releases its rows when the lease lapses.
/// </summary>
/// <remarks>
/// Each attempt's change to the import's counters is written once, before the row is deleted or rewritten, under a key
/// naming the row, its re-queue round and the attempt (<see cref="FailedBatchCountKeys"/>). A crash between the two
/// re-posts the records after the lease (harmless: <c>idempotent_id</c>) as the same attempt, whose count then replaces
/// the first one rather than adding to it.
/// </remarks>
public sealed partial class RetryFailedBatchesHandler(
    PipelineStorage storage,
    FailedBatchStore failures,
    UnknownUserStore unknownUsers,
    HeldPunchReleaser releaser,
    ImportStore imports,
    BatchPoster poster,
    FailedBatchPolicy policy,
    IOptions<RetryOptions> options,
    PipelineMetrics metrics,
    TimeProvider time,
    TableFeishuCallCounter callCounts,
    PostingPause pause,
    ImportSettledNotifier settled,
    Notifier notifier,
    ILogger<RetryFailedBatchesHandler> logger)
{
    private readonly string _claimant = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

    private RetryOptions Retry => options.Value;

    public async Task<RetryRunSummary> HandleAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        if (await pause.CurrentAsync(cancellationToken) is { } paused)
        {
            // Nothing could be posted: leave every row as it is until the pause ends.
            LogPaused(logger, paused.UntilUtc);
            await callCounts.FlushAsync(cancellationToken);
            return new RetryRunSummary(0, 0, 0, 0);
        }

        if (await pause.ClearEndedAsync(cancellationToken) is { } ended)
        {
            // The pause ended by itself (a new month, or a raised budget): the batches it held were due at its planned end.
            await failures.BringForwardAsync(ended.UntilUtc - TimeSpan.FromMinutes(1), time.GetUtcNow(), cancellationToken);
            await notifier.NotifyPostingResumedAsync("the pause ended by itself (a new month, or a raised budget)", cancellationToken);
        }

        // A changed id mapping first: punches held for users Feishu refused are mapped again and posted.
        var released = await releaser.ReleaseIfMappingChangedAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = await failures.FindDueAsync(now, Retry.MaxRowsPerRun, cancellationToken);
        int claimed = 0, posted = 0, rescheduled = 0, parked = 0, held = 0;
        foreach (var row in due)
        {
            if (!await failures.TryClaimAsync(row, _claimant, time.GetUtcNow() + Retry.ClaimLease, time.GetUtcNow(), cancellationToken))
            {
                continue;
            }

            claimed++;
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImportId"] = row.PartitionKey, ["BatchNo"] = row.BatchNo });
            var disposition = await RetryAsync(row, cancellationToken);
            switch (disposition)
            {
                case Disposition.Posted:
                    posted++;
                    break;
                case Disposition.Rescheduled:
                    rescheduled++;
                    break;
                case Disposition.Held:
                    held++;
                    break;
                default:
                    parked++;
                    break;
            }

            if (disposition == Disposition.Rescheduled && await pause.CurrentAsync(cancellationToken) is not null)
            {
                // The quota (or budget) is used up: the rest of the run would only be refused the same way.
                break;
            }
        }

        await callCounts.FlushAsync(cancellationToken);
        await settled.AfterRetryRunAsync(due.Select(row => row.PartitionKey), cancellationToken);
        var summary = new RetryRunSummary(claimed, posted, rescheduled, parked, held, released);
        LogSummary(logger, due.Count, summary.Claimed, summary.Posted, summary.Rescheduled, summary.Parked);
        return summary;
    }

    private enum Disposition
    {
        Posted,
        Rescheduled,
        Parked,
        Held,
    }

    private async Task<Disposition> RetryAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        var records = await failures.ReadRecordsAsync(row, cancellationToken);
        // Users refused since the row was written are held without a call, like in a first post.
        var unknown = await unknownUsers.UnknownIdsAsync(cancellationToken);
        var alreadyUnknown = records.Where(record => unknown.Contains(record.UserId)).ToList();
        var toPost = alreadyUnknown.Count == 0 ? records : records.Where(record => !unknown.Contains(record.UserId)).ToList();
        var outcome = toPost.Count == 0 ? null : await poster.PostAsync(toPost, cancellationToken);
        var now = time.GetUtcNow();
        var attempt = row.AttemptCount + 1;
        var decision = outcome is null
            ? new FailedBatchDecision([], null, [], [], Throttled: false)
            : policy.Decide(outcome, toPost, attempt, row.AuthFailures, now, await pause.ResumeDueAsync(now, cancellationToken));
        await BatchOutcomeRecorder.HoldAsync(unknownUsers, row.PartitionKey, row.BatchNo, decision, alreadyUnknown, cancellationToken);

        // The row's own parked part (when nothing stays pending) keeps the row; any other goes to a key of its own.
        var ownPark = decision.Pending is null && decision.Parked.Count > 0 ? decision.Parked[0] : null;
        var otherParks = ownPark is null ? decision.Parked : decision.Parked.Skip(1).ToList();
        var heldCount = decision.PunchesHeld + alreadyUnknown.Count;
        var counted = new PostingCounts(
            FeishuPosts: outcome is null ? 0 : 1,
            Throttled: decision.Throttled ? 1 : 0,
            PunchesPosted: decision.Posted.Count,
            PunchesParked: decision.PunchesParked,
            BatchesPosted: decision.Pending is null && decision.Parked.Count == 0 && heldCount == 0 ? 1 : 0,
            BatchesParked: decision.Parked.Count,
            PunchesHeld: heldCount);
        // The attempt's whole change to the counters, written once (whatever path it takes) before the row is deleted or
        // rewritten, under a key taken before the row's attempt count moves.
        await imports.RecordAdjustmentAsync(row.PartitionKey, FailedBatchCountKeys.Attempt(row, attempt), "retry", counted, cancellationToken);

        for (var i = 0; i < otherParks.Count; i++)
        {
            var part = otherParks[i];
            var partRow = FailureRows.Create(row.PartitionKey, row.BatchNo, FailureRows.ParkedPartKey(row, attempt, i), part, attempt, now);
            await failures.UpsertAsync(partRow, part.Records, cancellationToken);
            metrics.BatchesParked.Add(1);
        }

        if (decision.Pending is { } pending)
        {
            row.AttemptCount = pending.AttemptCounted ? attempt : row.AttemptCount;
            FailureRows.Apply(row, pending, now);
            await failures.ReplaceClaimedAsync(row, pending.Records.Count == records.Count ? null : pending.Records, cancellationToken);
            metrics.BatchesFailed.Add(1);
            LogRescheduled(logger, row.PartitionKey, row.BatchNo, attempt, row.NextDueUtc, pending.Error?.Code, pending.Error?.LogId);
            return Disposition.Rescheduled;
        }

        if (ownPark is not null)
        {
            row.AttemptCount = attempt;
            FailureRows.Apply(row, ownPark, now);
            await failures.ReplaceClaimedAsync(row, ownPark.Records.Count == records.Count ? null : ownPark.Records, cancellationToken);
            metrics.BatchesParked.Add(1);
            LogParked(logger, row.PartitionKey, row.BatchNo, attempt, ownPark.Reason ?? string.Empty);
            return Disposition.Parked;
        }

        await failures.DeleteClaimedAsync(row, cancellationToken);
        if (heldCount > 0)
        {
            return Disposition.Held;
        }

        metrics.BatchesPosted.Add(1);
        LogPosted(logger, row.PartitionKey, row.BatchNo, records.Count, attempt);
        return otherParks.Count > 0 ? Disposition.Parked : Disposition.Posted;
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Retry run: {Due} due, {Claimed} claimed, {Posted} posted, {Rescheduled} rescheduled, {Parked} parked")]
    private static partial void LogSummary(ILogger logger, int due, int claimed, int posted, int rescheduled, int parked);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Import {ImportId} batch {BatchNo}: {Records} records posted on attempt {Attempt}")]
    private static partial void LogPosted(ILogger logger, string importId, int batchNo, int records, int attempt);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Import {ImportId} batch {BatchNo}: attempt {Attempt} failed (code {Code}, log id {LogId}); next try at {NextDue}")]
    private static partial void LogRescheduled(ILogger logger, string importId, int batchNo, int attempt, DateTimeOffset nextDue, int? code, string? logId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Retry run skipped: posting is paused app-wide until {Until}")]
    private static partial void LogPaused(ILogger logger, DateTimeOffset until);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, Message = "Import {ImportId} batch {BatchNo} parked after {Attempt} attempts: {Reason}")]
    private static partial void LogParked(ILogger logger, string importId, int batchNo, int attempt, string reason);
}
