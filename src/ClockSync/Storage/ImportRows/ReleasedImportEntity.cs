using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// An import that ended without sending everything it claimed (PartitionKey = <see cref="PartitionKeyValue"/>, RowKey =
/// the import id): its ledger claims in batches after <see cref="ReleasedAfter"/> do not make a punch "already
/// imported" for anyone, so the next import that holds such a punch claims and sends it. One partition, read whole by
/// every ingest run: it holds only imports a newer blob version replaced mid-ingest.
/// </summary>
public sealed class ReleasedImportEntity : ITableEntity
{
    public const string PartitionKeyValue = "released";

    public string PartitionKey { get; set; } = PartitionKeyValue;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Batches 1..n of the import were handed to the queue; later ones may never have been.</summary>
    public int ReleasedAfter { get; set; }
}
