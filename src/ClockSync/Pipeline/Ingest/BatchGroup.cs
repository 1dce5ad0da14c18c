using ClockSync.Punches;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// New punches of one ingest numbered into consecutive batches, up to <see cref="MaxBatches"/> of them: the unit that is
/// claimed in the ledger (one row per day) and committed in the import row before any of its batches is sent. A
/// group's content is fixed once claimed, which is what lets a resumed ingest send exactly the same batches.
/// </summary>
internal sealed class BatchGroup
{
    /// <summary>
    /// Batches per group (3,000 punches, one ledger row on a day): each group costs a claim per day and a commit on the
    /// reader's path, so not too few; a resumed ingest may send about one group again, so not too many. Groups of 200
    /// measured no faster than 60 (pipeline-e2e), so the smaller stays.
    /// </summary>
    public const int MaxBatches = 60;

    /// <summary>
    /// Batches in an ingest's first group. Nothing is sent before the first group is read, claimed and committed, so a
    /// small one gets the queue busy sooner; each group after doubles, up to <see cref="MaxBatches"/>.
    /// </summary>
    public const int FirstBatches = 4;

    private readonly List<List<Punch>> _batches = [];
    private readonly HashSet<UInt128> _members;
    private readonly int _batchSize;
    private readonly int _maxBatches;

    public BatchGroup(int firstBatch, int batchSize)
        : this(firstBatch, batchSize, FirstBatches, new HashSet<UInt128>(MaxBatches * batchSize))
    {
    }

    private BatchGroup(int firstBatch, int batchSize, int maxBatches, HashSet<UInt128> members)
    {
        FirstBatch = firstBatch;
        _batchSize = batchSize;
        _maxBatches = maxBatches;
        _members = members;
    }

    public int FirstBatch { get; }

    /// <summary>The last batch number; <see cref="FirstBatch"/> − 1 while empty.</summary>
    public int LastBatch => FirstBatch + _batches.Count - 1;

    public bool IsEmpty => _batches.Count == 0;

    public bool IsFull => _batches.Count == _maxBatches && _batches[^1].Count == _batchSize;

    public IEnumerable<(int BatchNo, List<Punch> Punches)> Batches => _batches.Select((punches, i) => (FirstBatch + i, punches));

    /// <summary>Adds a punch to the last batch (opening one when it is full); false when the group already holds it.</summary>
    public bool Add(Punch punch)
    {
        if (!_members.Add(punch.Fingerprint.Value))
        {
            return false;
        }

        if (_batches.Count == 0 || _batches[^1].Count == _batchSize)
        {
            _batches.Add(new List<Punch>(_batchSize));
        }

        _batches[^1].Add(punch);
        return true;
    }

    public IReadOnlyList<(Punch Punch, int BatchNo)> Claims()
    {
        var claims = new List<(Punch Punch, int BatchNo)>(_batches.Sum(batch => batch.Count));
        foreach (var (batchNo, punches) in Batches)
        {
            claims.AddRange(punches.Select(punch => (punch, batchNo)));
        }

        return claims;
    }

    /// <summary>Drops punches another import claimed first; batch numbers stay as they are (a batch may end up short or empty).</summary>
    public void Remove(IReadOnlyCollection<Punch> lost)
    {
        if (lost.Count == 0)
        {
            return;
        }

        var gone = lost.Select(punch => punch.Fingerprint).ToHashSet();
        foreach (var batch in _batches)
        {
            batch.RemoveAll(punch => gone.Contains(punch.Fingerprint));
        }
    }

    /// <summary>
    /// The group after this one, twice its size up to <see cref="MaxBatches"/>. It takes over this group's membership
    /// set, cleared: nothing is added to a group once the next exists, and a set of 3,000 fingerprints is a large-object
    /// allocation that would otherwise be made again for every group.
    /// </summary>
    public BatchGroup Next()
    {
        _members.Clear();
        return new BatchGroup(LastBatch + 1, _batchSize, Math.Min(MaxBatches, _maxBatches * 2), _members);
    }
}
