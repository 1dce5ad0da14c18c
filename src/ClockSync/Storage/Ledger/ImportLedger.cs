using Azure;
using Azure.Data.Tables;
using ClockSync.Punches;

namespace ClockSync.Storage.Ledger;

/// <summary>
/// Reads and writes the ledger for one ingest. The ledger decides which punches are new across files: a day partition
/// holds one claim row per import and batch group (<see cref="LedgerClaimEntity"/>) and a version row
/// (<see cref="LedgerHeadEntity"/>). Each day is loaded when first needed and kept while the file streams, up to
/// <see cref="StorageOptions.LedgerDaysCached"/> days (least recently used dropped first: exports are roughly in time
/// order, so a dropped day is rarely needed again, and if it is it is read again; a day whose new punches still wait
/// for their group's claim is kept past that, see <see cref="EvictPastCache"/>). One instance per ingest run; look-ups
/// may run while a claim is in flight, but claims must come one at a time.
/// </summary>
/// <remarks>
/// A claim row of this import whose batch group starts after <c>committedThrough</c> is left over from a run that
/// died before it committed the group (no batch of it was sent). Its punches read as unknown, so they are numbered
/// and claimed afresh, and every claim on its day deletes it in the same transaction: a later run must never mistake
/// it for a committed group.
/// </remarks>
/// <param name="storage">The tables.</param>
/// <param name="importId">The import this run claims for.</param>
/// <param name="committedThrough">The last batch number of this import's committed groups (0 on a first run).</param>
/// <param name="released">
/// Imports that ended before sending all they claimed, with the last batch they had on the queue: their claims on
/// later batches own nothing (the punches read as unknown and are claimed again), since ownership follows the queue.
/// </param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The gate's wait handle is never created, so there is nothing to dispose.")]
public sealed partial class ImportLedger(PipelineStorage storage, string importId, int committedThrough, IReadOnlyDictionary<string, int>? released = null)
{
    /// <summary>Conflicting claims on one day before giving up; each conflict means another import wrote that day meanwhile.</summary>
    private const int MaxClaimAttempts = 16;

    private readonly Dictionary<long, LinkedListNode<LedgerDayView>> _days = [];
    private readonly LinkedList<LedgerDayView> _recent = new();
    /// <summary>This import's index among the owners packed into a day's entries: it is always the first one known.</summary>
    private const int Self = 0;

    private readonly List<string> _importIds = [importId];
    private readonly Dictionary<string, int> _importIndex = new(StringComparer.Ordinal) { [importId] = Self };
    private readonly HashSet<string> _writtenByThisRun = new(StringComparer.Ordinal);
    private (long Day, Task<LedgerDayRead> Read)? _prefetch;

    // The day of the last look-up: exports run in time order, so most punches fall on the same day as the one before, and checking
    // the number first spares the cache's look-up and its recency bookkeeping. Cleared whenever a day is forgotten.
    private LedgerDayView? _current;

    // The reader looks punches up while the previous group's claim is in flight: the gate covers the in-memory state;
    // a claim's transaction runs outside it.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Rows per page when a day is read; the service's 1,000 unless a test needs a day of several pages.</summary>
    internal int? DayPageSize { get; init; }

    /// <summary>Day partitions read from the table so far (a dropped day read again counts again).</summary>
    public int DayReads { get; private set; }

    /// <summary>
    /// The fingerprint rules of the punches looked up. With them a look-up also finds a punch claimed under another
    /// fingerprint of the same punch (minute precision, version 1); without them only the exact fingerprint.
    /// </summary>
    public PunchIdentity? Identity { get; init; }

    /// <summary>The import and batch owning <paramref name="punch"/>, or null when the ledger does not know it.</summary>
    public async ValueTask<LedgerOwner?> OwnerOfAsync(Punch punch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(punch);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var number = LedgerDays.NumberOf(punch.CheckTime);
            var day = _current is { } current && current.Number == number ? current : await DayAsync(number, cancellationToken);
            var owner = Find(day, punch);
            day.AwaitingClaim |= owner is null;
            return owner;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The owner of <paramref name="punch"/> on <paramref name="day"/>: its own fingerprint first, then (with
    /// <see cref="Identity"/>) its minute-precision forms, then its version-1 fingerprint where the day holds rows of that
    /// version — the only look-up that hashes, and days claimed after the upgrade have none.
    /// </summary>
    private LedgerOwner? Find(LedgerDayView day, Punch punch)
    {
        if (day.Owners.TryGetValue(punch.Fingerprint.Value, out var owner))
        {
            return Unpack(owner);
        }

        if (Identity is not { } identity)
        {
            return null;
        }

        Span<UInt128> aliases = stackalloc UInt128[PunchIdentity.MaxMinuteAliases];
        var count = identity.MinuteAliases(punch, day.HasMinuteOnly, aliases);
        foreach (var alias in aliases[..count])
        {
            if (day.Owners.TryGetValue(alias, out owner))
            {
                return Unpack(owner) with { Match = PunchMatch.MinutePrecision };
            }
        }

        return day.HasVersion1 && !identity.Version1 && day.Owners.TryGetValue(identity.Version1Of(punch).Value, out owner)
            ? Unpack(owner) with { Match = PunchMatch.Version1 }
            : null;
    }

    /// <summary>
    /// Claims <paramref name="claims"/> for this import: one row per day, keyed by
    /// <paramref name="firstBatch"/>, written together with the day's version row so that a concurrent claim by another
    /// import on the same day makes one of the two re-read and retry. Punches another import owns by then are not
    /// claimed and are returned: the caller drops them as already imported. Claiming the same group again (a resumed
    /// ingest) replaces this import's row for it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The day kept changing under every one of <see cref="MaxClaimAttempts"/> attempts.</exception>
    public async Task<IReadOnlyList<Punch>> ClaimAsync(int firstBatch, IReadOnlyList<(Punch Punch, int BatchNo)> claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var lost = new List<Punch>();
        foreach (var group in claims.GroupBy(claim => LedgerDays.NumberOf(claim.Punch.CheckTime)))
        {
            for (var attempt = 1; ; attempt++)
            {
                LedgerDayView day;
                var mine = new List<(Punch Punch, int BatchNo)>();
                var taken = new List<Punch>();
                PendingClaim? pending = null;
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    day = await DayAsync(group.Key, cancellationToken);
                    foreach (var claim in group)
                    {
                        // Under any of its fingerprints: another import may have taken the same punch at another precision.
                        if (Find(day, claim.Punch) is { } owner && !string.Equals(owner.ImportId, importId, StringComparison.Ordinal))
                        {
                            taken.Add(claim.Punch);
                        }
                        else
                        {
                            mine.Add(claim);
                        }
                    }

                    if (mine.Count > 0 || day.StaleRows.Count > 0)
                    {
                        pending = PrepareClaim(day, firstBatch, mine);
                    }
                }
                finally
                {
                    _gate.Release();
                }

                var (written, headETag) = pending is null ? (true, null) : await TrySubmitAsync(pending, cancellationToken);
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    if (written)
                    {
                        if (pending is not null)
                        {
                            await ApplyClaimAsync(day, pending, headETag, cancellationToken);
                        }

                        foreach (var (punch, batchNo) in mine)
                        {
                            day.Owners.Set(punch.Fingerprint.Value, Pack(Self, batchNo));
                            day.HasMinuteOnly |= punch.MinuteOnly;
                        }

                        day.AwaitingClaim = false;
                        lost.AddRange(taken);
                        break;
                    }

                    // Another import wrote this day since it was read: forget it, read it again and re-check.
                    Forget(group.Key);
                }
                finally
                {
                    _gate.Release();
                }

                if (attempt == MaxClaimAttempts)
                {
                    throw new InvalidOperationException(
                        $"The ledger day {LedgerDays.Name(group.Key)} changed under {MaxClaimAttempts} claims in a row; another ingest keeps writing it. The ingest will be retried.");
                }
            }
        }

        return lost;
    }

    /// <summary>The fingerprints <paramref name="owner"/> owns on <paramref name="day"/>, read from the table (no cache).</summary>
    public static async Task<HashSet<UInt128>> OwnedOnDayAsync(PipelineStorage tables, string day, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var owned = new HashSet<UInt128>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and ImportId eq {owner}");
        await foreach (var row in tables.Ledger.QueryAsync<LedgerClaimEntity>(filter, cancellationToken: cancellationToken))
        {
            foreach (var (fingerprint, _) in LedgerDayReader.EntriesOf(row))
            {
                owned.Add(fingerprint);
            }
        }

        return owned;
    }

    private async ValueTask<LedgerDayView> DayAsync(long day, CancellationToken cancellationToken)
    {
        if (_days.TryGetValue(day, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            return _current = node.Value;
        }

        Task<LedgerDayRead> read;
        if (_prefetch is { } prefetch && prefetch.Day == day)
        {
            read = prefetch.Read;
            _prefetch = null;
        }
        else
        {
            read = LedgerDayReader.ReadAsync(storage, day, DayPageSize, cancellationToken);
        }

        var (head, rows) = await read;
        var view = new LedgerDayView(day, LedgerDays.Name(day));
        if (head is not null)
        {
            (view.HeadETag, view.Version) = (head.ETag, head.Version);
        }

        foreach (var row in rows)
        {
            if (IsStale(row))
            {
                view.StaleRows.Add(row.RowKey);
                continue;
            }

            view.HasVersion1 |= row.Identity is not >= LedgerClaimEntity.CurrentIdentity;
            view.HasMinuteOnly |= row.MinuteOnly is true;
            var owner = IndexOf(row.ImportId);
            var ownsThrough = released is not null && released.TryGetValue(row.ImportId, out var releasedAfter) ? releasedAfter : int.MaxValue;
            foreach (var (fingerprint, batchNo) in LedgerDayReader.EntriesOf(row))
            {
                if (batchNo <= ownsThrough)
                {
                    view.Owners.Set(fingerprint, Pack(owner, batchNo));
                }
            }
        }

        // Exports run in time order, so the next day is most likely the next one needed: read it while this one is
        // used. The reader's own round trips wait behind the queue sends at a busy store; this one need not.
        var next = day + 1;
        if (_prefetch is null && !_days.ContainsKey(next))
        {
            var ahead = LedgerDayReader.ReadAsync(storage, next, DayPageSize, cancellationToken);
            _ = ahead.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _prefetch = (next, ahead);
        }

        DayReads++;
        _days[day] = _recent.AddFirst(view);
        EvictPastCache();
        return _current = view;
    }

    /// <summary>
    /// Drops the least recently used days past the cache's size, but not a day whose new punches still wait for their
    /// group's claim: the claim runs up to two groups behind the reader, and dropping such a day would read it again
    /// just to claim on it (in time order that was half as many reads again as days). A day whose awaited punches turn
    /// out to be duplicates is never claimed, so past four times the cache's size the oldest go regardless.
    /// </summary>
    private void EvictPastCache()
    {
        var cached = Math.Max(1, storage.Options.LedgerDaysCached);
        var node = _recent.Last;
        while (_recent.Count > cached && node is not null && node != _recent.First)
        {
            var older = node.Previous;
            if (!node.Value.AwaitingClaim || _recent.Count > 4 * cached)
            {
                Forget(node.Value.Number);
            }

            node = older;
        }
    }

    /// <summary>
    /// This import's row for a group past <c>committedThrough</c> that this run did not write: claimed by a run that died
    /// before committing it. (This run's own rows stay valid when a dropped day is read again.)
    /// </summary>
    private bool IsStale(LedgerClaimEntity row) =>
        row.Entries is not null
        && string.Equals(row.ImportId, importId, StringComparison.Ordinal)
        && !_writtenByThisRun.Contains(row.RowKey)
        && LedgerClaimEntity.TryParseFirstBatch(row.RowKey, out var firstBatch)
        && firstBatch > committedThrough;

    private void Forget(long day)
    {
        _current = null;
        if (_prefetch is { } prefetch && prefetch.Day == day)
        {
            _prefetch = null;
        }

        if (_days.Remove(day, out var node))
        {
            _recent.Remove(node);
        }
    }

    private int IndexOf(string id)
    {
        if (!_importIndex.TryGetValue(id, out var index))
        {
            index = _importIds.Count;
            _importIds.Add(id);
            _importIndex[id] = index;
        }

        return index;
    }

    private static long Pack(int importIndex, int batchNo) => ((long)importIndex << 32) | (uint)batchNo;

    private LedgerOwner Unpack(long owner) => new(_importIds[(int)(owner >> 32)], (int)(uint)owner);
}
