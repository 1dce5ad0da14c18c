using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Ledger;

/// <summary>
/// One punch known to ClockSync (<c>ImportLedger</c>): PartitionKey = the UTC day of its check time (<c>yyyyMMdd</c>),
/// RowKey = its fingerprint. The import and batch that own it decide whether a later file's copy is new.
/// </summary>
public sealed class LedgerEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ImportId { get; set; } = string.Empty;

    public int BatchNo { get; set; }

    public static string DayOf(long checkTime) =>
        DateTimeOffset.FromUnixTimeSeconds(checkTime).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
