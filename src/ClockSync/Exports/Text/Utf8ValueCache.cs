using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ClockSync.Exports.Text;

/// <summary>
/// Remembers what the exact bytes of a UTF-8 cell became (a user key, a trimmed device or name, or null for a blank
/// cell), so that a value repeated on many lines is neither decoded nor looked up as text again. One per column.
/// </summary>
/// <remarks>
/// An open-addressing table keyed by the raw bytes. A cell of up to 15 bytes (user keys, device numbers, most names) is
/// held in its slot itself, so a lookup reads one slot and compares two words; longer ones are kept in a separate
/// store. Bounded in every way that input could push: cells longer than <see cref="MaxKeyLength"/> bytes are not
/// remembered, nor more than <see cref="MaxEntries"/> values, and a lookup looks at no more than
/// <see cref="MaxProbes"/> slots (the hash is seeded per process, and colliding values past that are simply not
/// remembered). What is not remembered is worked out again each time, with the same result: the cache only ever
/// answers with what the same bytes gave before.
/// </remarks>
internal sealed class Utf8ValueCache : IDisposable
{
    public const int MaxKeyLength = 64;

    /// <summary>Bytes a lookup reads from the start of a cell, whatever its length.</summary>
    public const int BlockLength = 16;
    public const int MaxEntries = 4096;
    private const int MaxInlineLength = 15;
    private const int MaxProbes = 32;
    private const int InitialSlots = 64;
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64();

    // Rented, as its largest size is a large-object allocation (whose collection would cost a small file dearly);
    // always a power of two long, and cleared when given back, since an empty slot is all zeros.
    private Entry[] _entries = ArrayPool<Entry>.Shared.Rent(InitialSlots);
    private byte[] _longKeys = new byte[1024];
    private int _longKeysUsed;
    private int _count;

    /// <summary>The value remembered for exactly these bytes (which may be null, for a cell that gives none).</summary>
    /// <param name="block">
    /// The cell's bytes followed by whatever comes after them, at least <see cref="BlockLength"/> bytes in all: a short
    /// cell is read as one vector and masked to its length.
    /// </param>
    /// <param name="length">The cell's length in bytes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ReadOnlySpan<byte> block, int length, out string? value)
    {
        if ((uint)(length - 1) < MaxInlineLength && BitConverter.IsLittleEndian)
        {
            var (low, high) = Pack(block, length);
            var entries = _entries;
            var mask = entries.Length - 1;
            var slot = Slot(low, high) & mask;
            for (var probe = 0; probe < MaxProbes; probe++)
            {
                ref var entry = ref entries[slot];
                if (entry.High == high && entry.Low == low)
                {
                    value = entry.Value;
                    return true;
                }

                if (entry.High == 0)
                {
                    break;
                }

                slot = (slot + 1) & mask;
            }

            value = null;
            return false;
        }

        return TryGetLong(block[..length], out value);
    }

    /// <summary>Remembers a value for these bytes, if the cache has room for them; call after a miss.</summary>
    public void Add(ReadOnlySpan<byte> cell, string? value)
    {
        // Packing reads words in little-endian order; elsewhere nothing is remembered (and nothing goes wrong).
        if ((uint)(cell.Length - 1) >= MaxKeyLength || _count >= MaxEntries || !BitConverter.IsLittleEndian)
        {
            return;
        }

        if (2 * (_count + 1) > _entries.Length)
        {
            Grow();
        }

        ulong low, high;
        if (cell.Length <= MaxInlineLength)
        {
            Span<byte> block = stackalloc byte[BlockLength];
            block.Clear();
            cell.CopyTo(block);
            (low, high) = Pack(block, cell.Length);
        }
        else
        {
            if (_longKeysUsed + cell.Length > _longKeys.Length)
            {
                Array.Resize(ref _longKeys, 2 * _longKeys.Length);
            }

            cell.CopyTo(_longKeys.AsSpan(_longKeysUsed));
            low = (uint)_longKeysUsed;
            high = LongHigh(cell);
            _longKeysUsed += cell.Length;
        }

        if (TryPlace(_entries, new Entry(low, high, value)))
        {
            _count++;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetLong(ReadOnlySpan<byte> cell, out string? value)
    {
        if (cell.Length > MaxInlineLength && cell.Length <= MaxKeyLength)
        {
            var high = LongHigh(cell);
            var entries = _entries;
            var mask = entries.Length - 1;
            var slot = Slot(0, high) & mask;
            for (var probe = 0; probe < MaxProbes && entries[slot].High != 0; probe++)
            {
                ref var entry = ref entries[slot];
                if (entry.High == high && _longKeys.AsSpan((int)entry.Low, cell.Length).SequenceEqual(cell))
                {
                    value = entry.Value;
                    return true;
                }

                slot = (slot + 1) & mask;
            }
        }

        value = null;
        return false;
    }

    private static bool TryPlace(Entry[] entries, Entry entry)
    {
        var mask = entries.Length - 1;
        var slot = (entry.High >> 56 <= MaxInlineLength ? Slot(entry.Low, entry.High) : Slot(0, entry.High)) & mask;
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            if (entries[slot].High == 0)
            {
                entries[slot] = entry;
                return true;
            }

            slot = (slot + 1) & mask;
        }

        return false;
    }

    /// <summary>Gives the table back; the cache remembers nothing afterwards.</summary>
    public void Dispose()
    {
        var entries = _entries;
        _entries = new Entry[1];
        _count = MaxEntries;
        if (entries.Length > 1)
        {
            ArrayPool<Entry>.Shared.Return(entries, clearArray: true);
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<Entry>.Shared.Rent(2 * _entries.Length);
        var kept = 0;
        foreach (var entry in _entries)
        {
            if (entry.High != 0 && TryPlace(larger, entry))
            {
                kept++;
            }
        }

        ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
        _entries = larger;
        _count = kept;
    }

    /// <summary>
    /// A cell of 1 to 15 bytes as two words: its bytes, zero-padded, with its length in the top byte (so that an
    /// occupied slot never has a zero <c>High</c>, and cells differing only in trailing zero bytes stay distinct).
    /// </summary>
    /// <summary>
    /// A cell of 1 to 15 bytes as two words: its bytes, zero-padded, with its length in the top byte (so that an
    /// occupied slot never has a zero <c>High</c>, and cells differing only in trailing zero bytes stay distinct).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Low, ulong High) Pack(ReadOnlySpan<byte> block, int length)
    {
        // Without branching on the length, which varies from line to line (names of two or three characters).
        var kept = Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)length));
        var words = (Vector128.Create(block) & kept).AsUInt64();
        return (words.GetElement(0), words.GetElement(1) | ((ulong)length << 56));
    }

    /// <summary>For a cell of 16 bytes or more: its length in the top byte and a hash of all its bytes below it.</summary>
    private static ulong LongHigh(ReadOnlySpan<byte> cell)
    {
        var hash = Seed;
        var last = cell.Length - 8;
        for (var offset = 0; offset < last; offset += 8)
        {
            hash = (hash ^ MemoryMarshal.Read<ulong>(cell[offset..])) * Multiplier;
        }

        hash = (hash ^ MemoryMarshal.Read<ulong>(cell[last..])) * Multiplier;
        return ((ulong)cell.Length << 56) | (hash >> 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ulong low, ulong high)
    {
        // Cells that differ in a bit or two (0001 and 0002) must land apart: mixed until every bit moves the result.
        var hash = ((low ^ Seed) * Multiplier) ^ (high * 0xC2B2AE3D27D4EB4FUL);
        hash = (hash ^ (hash >> 29)) * 0xBF58476D1CE4E5B9UL;
        return (int)((hash ^ (hash >> 32)) >> 40);
    }

    /// <summary>A remembered cell (see <see cref="Pack"/> and <see cref="LongHigh"/>) and what it gave.</summary>
    private readonly record struct Entry(ulong Low, ulong High, string? Value);
}
