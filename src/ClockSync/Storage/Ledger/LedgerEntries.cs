using System.Buffers.Binary;

namespace ClockSync.Storage.Ledger;

/// <summary>
/// The binary form of a claim row's entries: 20 bytes each, the 128-bit fingerprint then the batch number, both little
/// endian. 3,000 entries stay under the table service's 64 KiB limit for one binary property.
/// </summary>
public static class LedgerEntries
{
    public const int EntrySize = 20;

    public const int MaxPerRow = 3000;

    public static byte[] Encode(IReadOnlyList<(UInt128 Fingerprint, int BatchNo)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count > MaxPerRow)
        {
            throw new ArgumentException($"A ledger row holds at most {MaxPerRow} entries, not {entries.Count}.", nameof(entries));
        }

        var bytes = new byte[entries.Count * EntrySize];
        for (var i = 0; i < entries.Count; i++)
        {
            var slot = bytes.AsSpan(i * EntrySize, EntrySize);
            BinaryPrimitives.WriteUInt128LittleEndian(slot, entries[i].Fingerprint);
            BinaryPrimitives.WriteInt32LittleEndian(slot[16..], entries[i].BatchNo);
        }

        return bytes;
    }

    /// <exception cref="FormatException">The length is not a whole number of entries.</exception>
    public static IEnumerable<(UInt128 Fingerprint, int BatchNo)> Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length % EntrySize != 0)
        {
            throw new FormatException($"A ledger row's entries are {bytes.Length} bytes, not a multiple of {EntrySize}.");
        }

        for (var offset = 0; offset < bytes.Length; offset += EntrySize)
        {
            yield return (BinaryPrimitives.ReadUInt128LittleEndian(bytes.AsSpan(offset, 16)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 16, 4)));
        }
    }
}
