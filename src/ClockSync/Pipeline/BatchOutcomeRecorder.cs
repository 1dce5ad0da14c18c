using ClockSync.Feishu.Flows;
using ClockSync.Pipeline.Failures;
using ClockSync.Storage.Batches;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Pause;
using ClockSync.Storage.UnknownUsers;

namespace ClockSync.Pipeline;

/// <summary>
/// Records what became of a batch's first post, durably, before the queue message completes: first the held punches and
/// the <c>FailedBatches</c> rows (upserts with deterministic keys, so recording twice writes the same rows), then the
/// batch marker, which carries the post's change to the import's counters (one insert: the marker and its counts cannot
/// part). A crash anywhere before the insert leaves no marker, so the redelivered message posts again — harmless, because
/// every record carries its fingerprint as <c>idempotent_id</c>. What each outcome means is
/// <see cref="FailedBatchPolicy"/>'s to say.
/// </summary>
public sealed class BatchOutcomeRecorder(
    ImportStore imports,
    FailedBatchStore failures,
    UnknownUserStore unknownUsers,
    FailedBatchPolicy policy,
    PipelineMetrics metrics,
    PostingPause pause,
    TimeProvider time)
{
    /// <param name="posted">The records sent to Feishu (empty when every user of the batch was already known unknown).</param>
    /// <param name="outcome">What Feishu made of <paramref name="posted"/>; null when nothing was sent.</param>
    /// <param name="held">Records set aside without a call: their users were refused before.</param>
    /// <returns>The marker outcome written (Posted, Partial, Failed, Parked, Held), or null when it was already recorded.</returns>
    public async Task<string?> RecordFirstPostAsync(
        string importId, int batchNo, IReadOnlyList<BatchRecord> posted, FeishuBatchOutcome? outcome, IReadOnlyList<BatchRecord> held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(held);
        var now = time.GetUtcNow();
        var decision = outcome is null
            ? new FailedBatchDecision([], null, [], [], Throttled: false)
            : policy.Decide(outcome, posted, attempt: 1, authFailuresBefore: 0, now, await pause.ResumeDueAsync(now, cancellationToken));
        await HoldAsync(unknownUsers, importId, batchNo, decision, held, cancellationToken);

        if (decision.Pending is { } pending)
        {
            var row = FailureRows.Create(importId, batchNo, FailureRows.RetryRowKey(batchNo), pending, attemptCount: pending.AttemptCounted ? 1 : 0, now);
            await failures.UpsertAsync(row, pending.Records, cancellationToken);
        }

        for (var i = 0; i < decision.Parked.Count; i++)
        {
            var part = decision.Parked[i];
            // p1 for the first parked part, as before; a second kind of parked part in the same answer gets p1-2.
            var key = FailureRows.ParkedRowKey(batchNo, 1) + (i == 0 ? string.Empty : "-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await failures.UpsertAsync(FailureRows.Create(importId, batchNo, key, part, attemptCount: 1, now), part.Records, cancellationToken);
        }

        var heldCount = decision.PunchesHeld + held.Count;
        var failedRows = decision.Pending is null ? 0 : 1;
        var parkedRows = decision.Parked.Count;
        var marker = Marker(outcome, decision, heldCount, posted.Count);
        var change = new PostingCounts(
            FeishuPosts: outcome is null ? 0 : 1,
            Throttled: decision.Throttled ? 1 : 0,
            PunchesPosted: decision.Posted.Count,
            PunchesParked: decision.PunchesParked,
            BatchesPosted: decision.Posted.Count > 0 && failedRows == 0 && parkedRows == 0 && heldCount == 0 ? 1 : 0,
            BatchesFailed: failedRows,
            BatchesParked: parkedRows,
            PunchesHeld: heldCount);
        var recorded = await imports.RecordBatchAsync(importId, batchNo, marker, posted.Count + held.Count, change, cancellationToken);
        if (!recorded)
        {
            return null;
        }

        if (failedRows == 0 && parkedRows == 0 && heldCount == 0)
        {
            metrics.BatchesPosted.Add(1);
        }

        metrics.BatchesFailed.Add(failedRows);
        metrics.BatchesParked.Add(parkedRows);
        metrics.PunchesHeld.Add(heldCount);
        return marker;
    }

    /// <summary>Remembers the users Feishu refused and holds their punches (the decision's, and those set aside unsent).</summary>
    internal static async Task HoldAsync(
        UnknownUserStore unknownUsers, string importId, int batchNo, FailedBatchDecision decision, IReadOnlyList<BatchRecord> alreadyUnknown, CancellationToken cancellationToken)
    {
        foreach (var part in decision.Held)
        {
            await unknownUsers.RecordRefusalsAsync(part.Records.Select(record => (record.UserId, record.ClockKey)), part.Error!, cancellationToken);
            await unknownUsers.HoldAsync(importId, batchNo, part.Records, cancellationToken);
        }

        if (alreadyUnknown.Count > 0)
        {
            await unknownUsers.HoldAsync(importId, batchNo, alreadyUnknown, cancellationToken);
        }
    }

    private static string Marker(FeishuBatchOutcome? outcome, FailedBatchDecision decision, long held, int sent) => outcome switch
    {
        null => "Held",
        FeishuBatchOutcome.Accepted when held == 0 => "Posted",
        _ when decision.Posted.Count == sent && held == 0 => "Posted",
        _ when decision.Posted.Count > 0 || (held > 0 && (decision.Pending is not null || decision.Parked.Count > 0)) => "Partial",
        _ when decision.Pending is not null => "Failed",
        _ when decision.Parked.Count > 0 => "Parked",
        _ => "Held",
    };
}
