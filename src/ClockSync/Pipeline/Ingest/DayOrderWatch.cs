namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// Watches the UTC days of an export's punches in file order as the ledger's day cache would see them (least recently
/// used dropped past <c>cacheDays</c>), and says when the order makes the cache thrash: more than <c>cacheDays</c> days
/// had to be read again. An export sorted by person walks every day once per person, so past the cache's span each
/// punch would re-read a ledger partition; one sorted by time never trips it. Deterministic for a given file, so a
/// resumed run switches at the same punch and numbers its batches the same.
/// </summary>
internal sealed class DayOrderWatch(int cacheDays)
{
    private readonly Dictionary<long, LinkedListNode<long>> _cached = [];
    private readonly LinkedList<long> _recent = new();
    private readonly HashSet<long> _seen = [];
    private long _last = long.MinValue;
    private long _reReads;

    public bool Thrashing => _reReads > cacheDays;

    public void See(long day)
    {
        if (day == _last)
        {
            return;
        }

        _last = day;
        if (_cached.TryGetValue(day, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            return;
        }

        if (!_seen.Add(day))
        {
            _reReads++;
        }

        _cached[day] = _recent.AddFirst(day);
        if (_recent.Count > cacheDays)
        {
            _cached.Remove(_recent.Last!.Value);
            _recent.RemoveLast();
        }
    }
}
