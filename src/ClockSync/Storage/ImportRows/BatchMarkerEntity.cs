using System.Globalization;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// "The first post of batch n was recorded", together with what that post did to the import's counters (inserted in
/// one request, so the marker and its counts cannot part). Once it exists a redelivered message is a no-op. Outcome is
/// Posted, Partial, Failed or Parked (where the records went is in <c>FailedBatches</c>).
/// </summary>
public sealed class BatchMarkerEntity : PostingCountsEntity
{
    public const string RowKeyPrefix = "batch-";

    public string Outcome { get; set; } = string.Empty;

    public int Records { get; set; }

    public DateTimeOffset RecordedUtc { get; set; }

    public static string RowKeyFor(int batchNo) => string.Create(CultureInfo.InvariantCulture, $"{RowKeyPrefix}{batchNo:D6}");
}
