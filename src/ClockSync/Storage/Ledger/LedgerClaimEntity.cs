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
