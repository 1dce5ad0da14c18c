using System.Buffers.Binary;
using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Ledger;

/// <summary>
/// One import's claim on one UTC day (<c>ImportLedger</c>): PartitionKey = the day (<c>yyyyMMdd</c>), RowKey =
/// <c>{importId}-{firstBatch:D6}-{part:D2}</c> (the batch group it was claimed for, and which of its rows on the day), <see cref="Entries"/> = the punches'
/// fingerprints with the batch each went into. Packing a group's punches into one row is what makes the ledger cheap
/// to write: a row per punch cost one table entity per punch, which capped ingest at the table's entity rate.
/// </summary>
public sealed class LedgerClaimEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ImportId { get; set; } = string.Empty;

    /// <summary><see cref="LedgerEntries"/>-encoded; at most <see cref="LedgerEntries.MaxPerRow"/> entries.</summary>
    public byte[]? Entries { get; set; }

    /// <summary>Only on rows written before claims were packed: one punch per row, its fingerprint in the RowKey.</summary>
    public int BatchNo { get; set; }

    /// <summary>The fingerprint version of <see cref="Entries"/>: <see cref="CurrentIdentity"/>, or absent on rows written before identity v2 (version 1).</summary>
    public int? Identity { get; set; }

    /// <summary>True when some entry is a punch recorded without seconds (absent otherwise).</summary>
    public bool? MinuteOnly { get; set; }

    /// <summary>The fingerprint version claims are written with now (<c>PunchFingerprint</c>).</summary>
    public const int CurrentIdentity = 2;

    /// <param name="importId">The import claiming.</param>
    /// <param name="firstBatch">The first batch of the group claimed.</param>
    /// <param name="part">Which row of the group's claim on this day (a day holding more than <see cref="LedgerEntries.MaxPerRow"/> of its punches takes several).</param>
    public static string RowKeyFor(string importId, int firstBatch, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{importId}-{firstBatch:D6}-{part:D2}");

    /// <summary>The group's first batch from a RowKey made by <see cref="RowKeyFor"/>.</summary>
    public static bool TryParseFirstBatch(string rowKey, out int firstBatch)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        var parts = rowKey.Split('-');
        firstBatch = 0;
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out firstBatch);
    }
}

/// <summary>
/// The day's version row (RowKey <see cref="RowKeyValue"/>). Every claim on the day replaces it in the same
/// transaction as its claim row, conditioned on the ETag the claimant read: two imports claiming on one day at once
/// cannot both succeed, so the loser re-reads the day and drops the punches the winner took.
/// </summary>
public sealed class LedgerHeadEntity : ITableEntity
{
    public const string RowKeyValue = "head";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long Version { get; set; }
}

/// <summary>The UTC day partition of a check time, by name (<c>yyyyMMdd</c>) or by number (days since 1970-01-01).</summary>
public static class LedgerDays
{
    private const long SecondsPerDay = 86_400;

    public static string DayOf(long checkTime) => Name(NumberOf(checkTime));

    /// <summary>Days since 1970-01-01 UTC, rounded down: a number the ingest compares per punch without formatting a date.</summary>
    public static long NumberOf(long checkTime) => Math.DivRem(checkTime, SecondsPerDay) is var (quotient, remainder) && remainder < 0 ? quotient - 1 : quotient;

    /// <summary>The partition key of day <paramref name="number"/>.</summary>
    public static string Name(long number) =>
        DateTime.UnixEpoch.AddDays(number).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}

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
