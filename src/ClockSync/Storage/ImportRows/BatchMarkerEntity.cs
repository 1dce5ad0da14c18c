using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// "The first post of batch n was recorded": once it exists a redelivered message is a no-op. Outcome is
/// Posted, Partial, Failed or Parked (where the records went is in <c>FailedBatches</c>).
/// </summary>
public sealed class BatchMarkerEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Outcome { get; set; } = string.Empty;

    public int Records { get; set; }

    public DateTimeOffset RecordedUtc { get; set; }

    public static string RowKeyFor(int batchNo) => string.Create(CultureInfo.InvariantCulture, $"batch-{batchNo:D6}");
}
