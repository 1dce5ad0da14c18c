using System.Net;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// The <c>Imports</c> table: one partition per import holding the import's row (<see cref="ImportEntity"/>, written by
/// ingest with an ETag-guarded read–modify–write), a marker per batch posted once, and count adjustments.
/// </summary>
/// <remarks>
/// Why the posting counters are derived rather than stored: twelve concurrent posts of one import all updating one
/// counters row (even one of 16 shards) means ETag races, re-reads and retries on the hottest path, and every retried
/// update is two more round trips. Here a post inserts its marker with the counter change it implies — one request,
/// atomic because it is one row, nothing to race on — and a retry attempt or an operator's park/re-queue writes a row
/// of its own under a key naming the event, so writing it again replaces rather than adds. Readers get the totals
/// only through <see cref="GetTotalsAsync"/> and <see cref="ListTotalsAsync"/>, which sum the partition; that costs one
/// query page per 1,000 batches, which <c>status</c> already paid to count the markers.
/// </remarks>
public sealed class ImportStore(PipelineStorage storage, TimeProvider time)
{
    private const int MaxConcurrencyRetries = 100;

    private TableClient Table => storage.Imports;

    public async Task<ImportEntity?> GetAsync(string importId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ImportEntity>(importId, ImportEntity.RowKeyValue, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Creates the row, or returns the existing one when another delivery created it first.</summary>
    public async Task<ImportEntity> GetOrCreateAsync(string importId, string blob, string blobETag, CancellationToken cancellationToken)
    {
        if (await GetAsync(importId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var entity = new ImportEntity { PartitionKey = importId, Blob = blob, BlobETag = blobETag, StartedUtc = time.GetUtcNow() };
        try
        {
            var response = await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
            return entity;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            return await GetAsync(importId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Import {importId} vanished while being created.", exception);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the current row and writes it back, retrying on 412.</summary>
    public Task<ImportEntity> UpdateAsync(string importId, Action<ImportEntity> change, CancellationToken cancellationToken) =>
        UpdateAsync(importId, known: null, change, cancellationToken);

    /// <summary>
    /// Like <see cref="UpdateAsync(string, Action{ImportEntity}, CancellationToken)"/>, but first tries the write on
    /// <paramref name="known"/> (a row this caller read or wrote last, with its ETag), saving the read when nobody else
    /// changed the row since — the ingest, the row's only writer while it runs, commits every batch group this way.
    /// </summary>
    public Task<ImportEntity> UpdateAsync(ImportEntity known, Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        return UpdateAsync(known.PartitionKey, known, change, cancellationToken);
    }

    private async Task<ImportEntity> UpdateAsync(string importId, ImportEntity? known, Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var row = (attempt == 0 ? known : null)
                ?? await GetAsync(importId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Import {importId} has no Imports row.");
            change(row);
            row.UpdatedUtc = time.GetUtcNow();
            try
            {
                var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                row.ETag = response.Headers.ETag ?? default;
                return row;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // Someone else changed the row meanwhile: read it again and re-apply.
            }
        }
    }

    public async Task<bool> IsBatchRecordedAsync(string importId, int batchNo, CancellationToken cancellationToken)
    {
        var marker = await Table.GetEntityIfExistsAsync<BatchMarkerEntity>(
            importId, BatchMarkerEntity.RowKeyFor(batchNo), select: ["Outcome"], cancellationToken).ConfigureAwait(false);
        return marker.HasValue;
    }

    /// <summary>
    /// Inserts the batch marker carrying the counter change of the batch's first post. Returns false (and changes
    /// nothing) when the marker already exists: another delivery of the same message recorded it first.
    /// </summary>
    public async Task<bool> RecordBatchAsync(string importId, int batchNo, string outcome, int records, PostingCounts change, CancellationToken cancellationToken)
    {
        var marker = new BatchMarkerEntity
        {
            PartitionKey = importId,
            RowKey = BatchMarkerEntity.RowKeyFor(batchNo),
            Outcome = outcome,
            Records = records,
            RecordedUtc = time.GetUtcNow(),
        };
        marker.SetCounts(change);
        try
        {
            await Table.AddEntityAsync(marker, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the counter change of one event after a batch's first post (a retry attempt, an operator's park or
    /// re-queue) under <paramref name="eventKey"/>. Writing the same event again replaces its row, so a retry run that
    /// re-posts an attempt after a crash counts that attempt once, with its latest outcome.
    /// </summary>
    public async Task RecordAdjustmentAsync(string importId, string eventKey, string source, PostingCounts change, CancellationToken cancellationToken)
    {
        var row = new CountAdjustmentEntity
        {
            PartitionKey = importId,
            RowKey = CountAdjustmentEntity.RowKeyFor(eventKey),
            Source = source,
            RecordedUtc = time.GetUtcNow(),
        };
        row.SetCounts(change);
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The import's row with its posting totals, or null when there is no such import.</summary>
    public async Task<ImportTotals?> GetTotalsAsync(string importId, CancellationToken cancellationToken)
    {
        if (await GetAsync(importId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return null;
        }

        var sums = new Dictionary<string, (PostingCounts Counts, int Markers)>(StringComparer.Ordinal);
        await SumAsync(sums, TableClient.CreateQueryFilter($"PartitionKey eq {importId} and RowKey ne {ImportEntity.RowKeyValue}"), cancellationToken)
            .ConfigureAwait(false);
        return Totals(row, sums);
    }

    /// <summary>Every import with its posting totals, oldest first.</summary>
    public async Task<IReadOnlyList<ImportTotals>> ListTotalsAsync(CancellationToken cancellationToken)
    {
        var rows = await ListAsync(cancellationToken).ConfigureAwait(false);
        var sums = new Dictionary<string, (PostingCounts Counts, int Markers)>(StringComparer.Ordinal);
        await SumAsync(sums, TableClient.CreateQueryFilter($"RowKey ne {ImportEntity.RowKeyValue}"), cancellationToken).ConfigureAwait(false);
        return rows.Select(row => Totals(row, sums)).ToList();
    }

    /// <summary>Every import's own row (no totals), oldest first.</summary>
    public async Task<IReadOnlyList<ImportEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ImportEntity>();
        await foreach (var row in Table.QueryAsync<ImportEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {ImportEntity.RowKeyValue}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows.OrderBy(row => row.StartedUtc).ToList();
    }

    private async Task SumAsync(Dictionary<string, (PostingCounts Counts, int Markers)> sums, string filter, CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: PostingCountsEntity.CountColumns, cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            var (counts, markers) = sums.GetValueOrDefault(row.PartitionKey, (PostingCounts.None, 0));
            var isMarker = row.RowKey.StartsWith(BatchMarkerEntity.RowKeyPrefix, StringComparison.Ordinal);
            sums[row.PartitionKey] = (counts.Plus(PostingCountsEntity.ReadCounts(row)), markers + (isMarker ? 1 : 0));
        }
    }

    private static ImportTotals Totals(ImportEntity row, Dictionary<string, (PostingCounts Counts, int Markers)> sums)
    {
        var (counts, markers) = sums.GetValueOrDefault(row.PartitionKey, (PostingCounts.None, 0));
        return new ImportTotals(row, counts, markers);
    }
}
