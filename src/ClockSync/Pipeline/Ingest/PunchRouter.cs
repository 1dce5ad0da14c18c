using ClockSync.Punches;
using ClockSync.Storage.Ledger;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// Routes each accepted punch of a run: already another import's (counted, dropped), rebuilt into a batch an earlier
/// run of this import committed, or new (into the open group, which goes to the <see cref="GroupCommitter"/> when full).
/// </summary>
/// <remarks>
/// A redelivery of the same version after a crash reads the file again: a punch in a committed group goes back into
/// the batch the ledger recorded for it, so every batch that may have been sent is rebuilt identically. Batches at or
/// below the <c>BatchesEnqueued</c> checkpoint are not sent again, the others are (<see cref="ResumedBatches"/>), and
/// posting ignores a batch whose marker exists.
/// </remarks>
internal sealed class PunchRouter(
    ImportLedger ledger,
    string importId,
    int committed,
    int checkpoint,
    ImportTally tally,
    IReadOnlySet<string> refused,
    GroupCommitter committer)
{
    private readonly SortedDictionary<int, List<Punch>> _resumed = [];

    // Users Feishu refused before: their new punches will be held by the post handler, and the report says so.
    private readonly Dictionary<string, long> _heldByUser = new(StringComparer.Ordinal);

    /// <summary>Punches another import owned when they were looked up.</summary>
    public long AlreadyImported { get; private set; }

    /// <summary>Punches rebuilt into batches an earlier run of this import committed.</summary>
    public long Resumed { get; private set; }

    /// <summary>Committed batches past the checkpoint, rebuilt, in batch order: they are sent again once the file is read.</summary>
    public IEnumerable<KeyValuePair<int, List<Punch>>> ResumedBatches => _resumed;

    /// <summary>New punches per refused user, for the report.</summary>
    public IReadOnlyDictionary<string, long> HeldByUser => _heldByUser;

    public async Task RouteAsync(Punch punch, CancellationToken cancellationToken)
    {
        switch (await ledger.OwnerOfAsync(punch, cancellationToken))
        {
            case { } owner when !string.Equals(owner.ImportId, importId, StringComparison.Ordinal):
                AlreadyImported++;
                tally.CountMatch(owner.Match);
                break;

            case { Match: not PunchMatch.MinutePrecision } owner when owner.BatchNo <= committed:
                // Committed by an earlier run of this import: its batch is rebuilt and sent again unless the
                // checkpoint says it was enqueued (posting ignores a batch already recorded).
                var members = owner.BatchNo > checkpoint
                    ? _resumed.TryGetValue(owner.BatchNo, out var list) ? list : _resumed[owner.BatchNo] = []
                    : null;
                if (members is not null && members.Exists(member => member.Fingerprint == punch.Fingerprint))
                {
                    tally.RecountAsDuplicate();
                    break;
                }

                members?.Add(punch);
                Resumed++;
                break;

            case { }:
                // Claimed by this run already: a copy from a day the importer's dedupe window had dropped.
                tally.RecountAsDuplicate();
                break;

            default:
                if (!committer.Group.Add(punch))
                {
                    tally.RecountAsDuplicate();
                    break;
                }

                if (refused.Count > 0 && refused.Contains(punch.UserId))
                {
                    _heldByUser[punch.UserId] = _heldByUser.GetValueOrDefault(punch.UserId) + 1;
                }

                if (committer.Group.IsFull)
                {
                    await committer.StartCommitAsync(cancellationToken);
                }

                break;
        }
    }
}
