using ClockSync.Storage.Ledger;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// Claim, then commit, then send, a group of batches at a time: a batch is only ever sent once its group is in the
/// ledger and the import row says so (<c>BatchesClaimed</c>), so a resumed run rebuilds exactly the batches an earlier
/// run may have sent. Groups commit one after another, in order, while the reader goes on with the next one (memory
/// stays at two groups); each commit also advances the <c>BatchesEnqueued</c> checkpoint and renews the lease.
/// </summary>
/// <remarks>
/// Punches of a group claimed but not committed by a run that died are numbered afresh from <c>BatchesClaimed</c> + 1
/// (none of that group was sent). Claims another import wins meanwhile are dropped from the group as already imported.
/// </remarks>
internal sealed class GroupCommitter(IngestServices services, ImportLedger ledger, BatchEnqueuePump pump, RunLease lease, int committed)
{
    private Task _committing = Task.CompletedTask;

    /// <summary>The group being filled.</summary>
    public BatchGroup Group { get; private set; } = new(committed + 1, services.Options.BatchSize);

    /// <summary>The last batch of the groups committed so far (this run's or earlier ones').</summary>
    public int LastBatch { get; private set; } = committed;

    // Written only by the commit chain, read once it has finished.
    /// <summary>Punches of this run's groups that another import had claimed first.</summary>
    public long LostToOthers { get; private set; }

    /// <summary>Punches in this run's committed batches.</summary>
    public long CommittedPunches { get; private set; }

    /// <summary>The commit in flight, if any (for a failing reader to let it finish before the pump goes away).</summary>
    public Task InFlight => _committing;

    /// <summary>Hands the open group to the commit chain and opens the next one.</summary>
    public async Task StartCommitAsync(CancellationToken cancellationToken)
    {
        // At most one group in flight behind the one being read: memory stays at two groups.
        await _committing;
        var claimed = Group;
        Group = Group.Next();
        _committing = CommitAsync(claimed, cancellationToken);
    }

    /// <summary>Commits the open group if it holds anything, and waits until every commit is done.</summary>
    public async Task CommitOpenGroupAsync(CancellationToken cancellationToken)
    {
        if (!Group.IsEmpty)
        {
            await StartCommitAsync(cancellationToken);
        }

        await _committing;
    }

    /// <summary>
    /// Renews the lease when a quarter of it has passed without a commit (a file of punches mostly imported before
    /// commits rarely). Runs on the commit chain, so it never races a commit for the row.
    /// </summary>
    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        if (!lease.RenewDue)
        {
            return;
        }

        await _committing;
        var done = pump.ContiguousDone();
        _committing = lease.UpdateAsync(entity => entity.BatchesEnqueued = Math.Max(entity.BatchesEnqueued, done), cancellationToken);
    }

    private async Task CommitAsync(BatchGroup claimed, CancellationToken cancellationToken)
    {
        var lost = await ledger.ClaimAsync(claimed.FirstBatch, claimed.Claims(), cancellationToken);
        claimed.Remove([.. lost]);
        LostToOthers += lost.Count;
        var done = pump.ContiguousDone();
        var last = claimed.LastBatch;
        await lease.UpdateAsync(entity =>
        {
            entity.BatchesClaimed = Math.Max(entity.BatchesClaimed, last);
            entity.BatchesEnqueued = Math.Max(entity.BatchesEnqueued, done);
        }, cancellationToken);
        LastBatch = last;
        foreach (var (batchNo, punches) in claimed.Batches)
        {
            CommittedPunches += punches.Count;
            if (punches.Count == 0)
            {
                pump.MarkDone(batchNo);
            }
            else
            {
                await pump.EnqueueAsync(batchNo, punches, cancellationToken);
                services.Metrics.BatchesEnqueued.Add(1);
            }
        }
    }
}
