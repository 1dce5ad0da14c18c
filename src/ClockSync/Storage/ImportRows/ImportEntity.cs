using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// The <c>Imports</c> row of one import (PartitionKey = import id, RowKey = <see cref="RowKeyValue"/>): what the
/// file held and what ingest did with it. What posting did is not kept here: each batch marker and count adjustment in
/// the partition carries its own change (<see cref="PostingCountsEntity"/>), and <see cref="ImportStore.GetTotalsAsync"/>
/// sums them, so concurrent posts never contend for this row.
/// </summary>
public sealed class ImportEntity : ITableEntity
{
    public const string RowKeyValue = "import";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Blob { get; set; } = string.Empty;

    public string BlobETag { get; set; } = string.Empty;

    public string State { get; set; } = ImportState.Ingesting;

    public string? Reason { get; set; }

    public DateTimeOffset StartedUtc { get; set; }

    public DateTimeOffset? UpdatedUtc { get; set; }

    public long Lines { get; set; }

    public long Skipped { get; set; }

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public long Duplicates { get; set; }

    public long AlreadyImported { get; set; }

    /// <summary>Punches this import owns in the ledger and queued for Feishu.</summary>
    public long NewPunches { get; set; }

    /// <summary>Batches 1..n have been handed to the queue (a checkpoint: a resumed ingest skips them).</summary>
    public int BatchesEnqueued { get; set; }

    /// <summary>Batches 1..n are claimed in the ledger and fixed (committed): a resumed ingest rebuilds them from it.</summary>
    public int BatchesClaimed { get; set; }

    /// <summary>The ingest run working on this import, while one does (<see cref="ImportStore.TryStartRunAsync"/>).</summary>
    public string? RunId { get; set; }

    /// <summary>
    /// Until when <see cref="RunId"/> holds the import: the run renews it as it goes, so a run that died frees the
    /// import once this has passed.
    /// </summary>
    public DateTimeOffset? LeaseUntilUtc { get; set; }
}
