using ClockSync.Punches;

namespace ClockSync.Pipeline;

/// <summary>
/// New punches of one ingest numbered into consecutive batches, up to <see cref="MaxBatches"/> of them: the unit that is
/// claimed in the ledger (one row per day) and committed in the import row before any of its batches is sent. A
/// group's content is fixed once claimed, which is what lets a resumed ingest send exactly the same batches.
/// </summary>
internal sealed class BatchGroup(int firstBatch, int batchSize)
{
    /// <summary>
    /// Batches per group (3,000 punches, one ledger row on a day): each group costs a claim per day and a commit on the
    /// reader's path, so not too few; a resumed ingest may send about one group again, so not too many. Groups of 200
    /// measured no faster than 60 (pipeline-e2e), so the smaller stays.
    /// </summary>
    public const int MaxBatches = 60;

    private readonly List<List<Punch>> _batches = [];
    private readonly HashSet<UInt128> _members = [];

    public int FirstBatch => firstBatch;

    /// <summary>The last batch number; <see cref="FirstBatch"/> − 1 while empty.</summary>
    public int LastBatch => firstBatch + _batches.Count - 1;

    public bool IsEmpty => _batches.Count == 0;

    public bool IsFull => _batches.Count == MaxBatches && _batches[^1].Count == batchSize;

    public IEnumerable<(int BatchNo, List<Punch> Punches)> Batches => _batches.Select((punches, i) => (firstBatch + i, punches));

    /// <summary>Adds a punch to the last batch (opening one when it is full); false when the group already holds it.</summary>
    public bool Add(Punch punch)
    {
        if (!_members.Add(punch.Fingerprint.Value))
        {
            return false;
        }

        if (_batches.Count == 0 || _batches[^1].Count == batchSize)
        {
            _batches.Add(new List<Punch>(batchSize));
        }

        _batches[^1].Add(punch);
        return true;
    }

    public IReadOnlyList<(Punch Punch, int BatchNo)> Claims() =>
        Batches.SelectMany(batch => batch.Punches.Select(punch => (punch, batch.BatchNo))).ToList();

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

    public BatchGroup Next() => new(LastBatch + 1, batchSize);
}
