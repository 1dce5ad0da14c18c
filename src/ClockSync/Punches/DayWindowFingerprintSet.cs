namespace ClockSync.Punches;

/// <summary>
/// In-file dedupe with bounded memory: one <see cref="FingerprintSet"/> per UTC day of check time, the least recently
/// used day dropped past <c>days</c>. Exact for exports in rough time order (a clock writes its log in order); a copy
/// that comes back after its day was dropped is not recognised here, so a caller that must be exact needs a second
/// check (the pipeline's ledger is one).
/// </summary>
internal sealed class DayWindowFingerprintSet(int days)
{
    private const long SecondsPerDay = 86_400;

    private readonly Dictionary<long, LinkedListNode<(long Day, FingerprintSet Set)>> _byDay = [];
    private readonly LinkedList<(long Day, FingerprintSet Set)> _recent = new();

    /// <summary>True when this fingerprint was added for its day and the day is still held (recency unchanged).</summary>
    public bool Contains(long checkTime, UInt128 fingerprint) =>
        _byDay.TryGetValue(DayOf(checkTime), out var node) && node.Value.Set.Contains(fingerprint);

    /// <summary>False when this fingerprint was already added for its day (and the day is still held).</summary>
    public bool Add(long checkTime, UInt128 fingerprint)
    {
        var day = DayOf(checkTime);
        if (_byDay.TryGetValue(day, out var node))
        {
            if (!ReferenceEquals(_recent.First, node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
            }
        }
        else
        {
            node = _recent.AddFirst((day, new FingerprintSet()));
            _byDay[day] = node;
            if (_recent.Count > Math.Max(1, days))
            {
                _byDay.Remove(_recent.Last!.Value.Day);
                _recent.RemoveLast();
            }
        }

        return node.Value.Set.Add(fingerprint);
    }

    private static long DayOf(long checkTime) => Math.DivRem(checkTime, SecondsPerDay, out var rest) - (rest < 0 ? 1 : 0);
}
