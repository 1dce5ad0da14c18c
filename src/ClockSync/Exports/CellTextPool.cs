namespace ClockSync.Exports;

/// <summary>
/// Hands out one string instance per distinct text, so that user keys, device names and statuses repeated on every
/// line of an export are allocated once. Bounded: past <c>capacity</c> distinct texts it stops remembering new ones.
/// (Same contract as <c>StringPool</c> of the wip/readers branch, which can replace it after the merge.)
/// </summary>
internal sealed class CellTextPool
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private readonly string[] _lastInColumn = [string.Empty, string.Empty, string.Empty, string.Empty];

    public CellTextPool(int capacity = 4096)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The pooled string for a cell of one of four columns (<see cref="PooledColumn"/>). Consecutive rows usually
    /// repeat the device and status, so the column's previous value is compared before any hashing.
    /// </summary>
    public string Get(ReadOnlySpan<char> text, PooledColumn column)
    {
        ref var last = ref _lastInColumn[(int)column];
        if (text.SequenceEqual(last))
        {
            return last;
        }

        last = Get(text);
        return last;
    }

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return string.Empty;
        }

        if (_lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var created = text.ToString();
        if (_strings.Count < _capacity)
        {
            _strings.Add(created);
        }

        return created;
    }
}

/// <summary>The columns whose previous value <see cref="CellTextPool"/> remembers.</summary>
internal enum PooledColumn
{
    UserKey,
    Device,
    Direction,
    Name,
}
