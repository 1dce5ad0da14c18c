using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClockSync.Exports.Text;

/// <summary>
/// Hands out one string instance per distinct text, so that user keys, device names and statuses repeated on every
/// line of an export are allocated once. Bounded: past <c>capacity</c> distinct texts it stops remembering new ones.
/// (Same contract as <c>StringPool</c> of the wip/readers branch, which can replace it after the merge.)
/// </summary>
/// <remarks>
/// In front of the set sits a small direct-mapped cache per column, indexed by a cheap hash of a few characters:
/// most cells find their string there with one compare, instead of the set's randomised (Marvin) hash of the whole
/// text. The cache only ever holds strings with the same text as the cell it answers, and a collision (even a
/// contrived one) only sends the cell on to the set, so what comes out is exactly what the set alone would give.
/// </remarks>
internal sealed class CellTextPool
{
    private const int SlotsPerColumn = 2048;
    private const int ColumnCount = 4;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private readonly string?[] _recent;

    public CellTextPool(int capacity = 4096)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        _recent = capacity > 0 ? new string?[SlotsPerColumn * ColumnCount] : [];
    }

    /// <summary>
    /// A pool that remembers nothing and hands out a new string each time: for callers that keep their own cache
    /// (<see cref="Utf8Cells"/>). Never changes, so it can be shared.
    /// </summary>
    public static CellTextPool Unpooled { get; } = new(capacity: 0);

    /// <summary>
    /// The pooled string for a cell of one of four columns (<see cref="PooledColumn"/>). Consecutive rows usually
    /// repeat the device and status, and a column has few distinct values, so the column's cache is asked first.
    /// </summary>
    public string Get(ReadOnlySpan<char> text, PooledColumn column)
    {
        if (_recent.Length == 0)
        {
            return Get(text);
        }

        ref var slot = ref _recent[((int)column * SlotsPerColumn) + Slot(text)];
        if (slot is not null && text.SequenceEqual(slot))
        {
            return slot;
        }

        var value = Get(text);
        slot = value;
        return value;
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

    /// <summary>A slot from the length and up to the first and last four characters; not meant to resist collisions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ReadOnlySpan<char> text)
    {
        ulong mix;
        if (text.Length >= 4)
        {
            var bytes = MemoryMarshal.AsBytes(text);
            mix = (MemoryMarshal.Read<ulong>(bytes) * 0x9E3779B97F4A7C15UL)
                ^ (MemoryMarshal.Read<ulong>(bytes[^8..]) * 0xC2B2AE3D27D4EB4FUL);
        }
        else
        {
            mix = 0;
            foreach (var c in text)
            {
                mix = (mix << 16) | c;
            }

            mix *= 0x9E3779B97F4A7C15UL;
        }

        mix ^= (ulong)text.Length * 0x165667B19E3779F9UL;
        return (int)((mix ^ (mix >> 29)) >> 53); // top 11 bits: 0 .. SlotsPerColumn - 1
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
