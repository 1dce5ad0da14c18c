using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClockSync.Exports;

/// <summary>
/// Remembers what the exact bytes of a UTF-8 cell became (a user key, a trimmed device or name, or null for a blank
/// cell), so that a value repeated on many lines is neither decoded nor looked up as text again. One per column.
/// </summary>
/// <remarks>
/// An open-addressing table keyed by the raw bytes. Bounded in every way that input could push: cells longer than
/// <see cref="MaxKeyLength"/> bytes are not remembered, nor more than <see cref="MaxEntries"/> values, and a lookup
/// looks at no more than <see cref="MaxProbes"/> slots (the hash is seeded per process, and colliding values past that
/// are simply not remembered). What is not remembered is worked out again each time, with the same result: the cache
/// only ever answers with what the same bytes gave before.
/// </remarks>
internal sealed class Utf8ValueCache
{
    public const int MaxKeyLength = 64;
    public const int MaxEntries = 4096;
    private const int MaxProbes = 8;
    private const int InitialSlots = 64;

    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private Entry[] _entries = new Entry[InitialSlots];
    private byte[] _keys = new byte[InitialSlots * 16];
    private int _keysUsed;
    private int _count;

    public int Count => _count;

    /// <summary>The value remembered for exactly these bytes (which may be null, for a cell that gives none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ReadOnlySpan<byte> cell, out string? value)
    {
        if ((uint)(cell.Length - 1) < MaxKeyLength)
        {
            var hash = Hash(cell);
            var entries = _entries;
            var mask = entries.Length - 1;
            var slot = (int)hash & mask;
            for (var probe = 0; probe < MaxProbes; probe++)
            {
                ref var entry = ref entries[slot];
                if (entry.Length == 0)
                {
                    break;
                }

                if (entry.Hash == hash && entry.Length == cell.Length && _keys.AsSpan(entry.Start, entry.Length).SequenceEqual(cell))
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

    /// <summary>Remembers a value for these bytes, if the cache has room for them; call after a miss.</summary>
    public void Add(ReadOnlySpan<byte> cell, string? value)
    {
        if ((uint)(cell.Length - 1) >= MaxKeyLength || _count >= MaxEntries)
        {
            return;
        }

        if (2 * (_count + 1) > _entries.Length)
        {
            Grow();
        }

        var hash = Hash(cell);
        if (!TryPlace(_entries, hash, out var slot))
        {
            return;
        }

        if (_keysUsed + cell.Length > _keys.Length)
        {
            Array.Resize(ref _keys, 2 * _keys.Length);
        }

        cell.CopyTo(_keys.AsSpan(_keysUsed));
        _entries[slot] = new Entry(value, _keysUsed, cell.Length, hash);
        _keysUsed += cell.Length;
        _count++;
    }

    private static bool TryPlace(Entry[] entries, uint hash, out int slot)
    {
        var mask = entries.Length - 1;
        slot = (int)hash & mask;
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            if (entries[slot].Length == 0)
            {
                return true;
            }

            slot = (slot + 1) & mask;
        }

        return false;
    }

    private void Grow()
    {
        var larger = new Entry[2 * _entries.Length];
        var kept = 0;
        foreach (var entry in _entries)
        {
            if (entry.Length != 0 && TryPlace(larger, entry.Hash, out var slot))
            {
                larger[slot] = entry;
                kept++;
            }
        }

        _entries = larger;
        _count = kept;
    }

    /// <summary>
    /// Mixes the length and every byte, eight at a time (the last word overlapping the one before it); cells are short,
    /// so this is a handful of multiplications.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> cell)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15UL;
        var hash = Seed ^ ((ulong)cell.Length * 0xC2B2AE3D27D4EB4FUL);
        if (cell.Length >= 8)
        {
            var last = cell.Length - 8;
            for (var offset = 0; offset < last; offset += 8)
            {
                hash = (hash ^ MemoryMarshal.Read<ulong>(cell[offset..])) * Multiplier;
            }

            hash = (hash ^ MemoryMarshal.Read<ulong>(cell[last..])) * Multiplier;
        }
        else if (cell.Length >= 4)
        {
            var word = ((ulong)MemoryMarshal.Read<uint>(cell) << 32) | MemoryMarshal.Read<uint>(cell[^4..]);
            hash = (hash ^ word) * Multiplier;
        }
        else
        {
            var word = cell[0] | ((ulong)cell[cell.Length >> 1] << 8) | ((ulong)cell[^1] << 16);
            hash = (hash ^ word) * Multiplier;
        }

        return (uint)(hash >> 32);
    }

    /// <summary>A remembered cell: its bytes at <c>Start</c> in the key store, and what they gave.</summary>
    private readonly record struct Entry(string? Value, int Start, int Length, uint Hash);
}
