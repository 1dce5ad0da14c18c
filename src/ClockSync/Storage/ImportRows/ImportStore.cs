using System.Net;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.ImportRows;

/// <summary>
/// The <c>Imports</c> table. Every counter change is a read–modify–write guarded by the row's ETag and retried on
/// 412, so concurrent posts of one import never lose an increment.
/// </summary>
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
    public async Task<ImportEntity> UpdateAsync(string importId, Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var row = await GetAsync(importId, cancellationToken).ConfigureAwait(false)
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
                // Another post changed the counters meanwhile: read again and re-apply.
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
    /// Writes the batch marker and the counter change in one entity-group transaction. Returns false (and changes
    /// nothing) when the marker already exists: another delivery of the same message recorded it first.
    /// </summary>
    public async Task<bool> RecordBatchAsync(string importId, int batchNo, string outcome, int records, Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var marker = new BatchMarkerEntity
        {
            PartitionKey = importId,
            RowKey = BatchMarkerEntity.RowKeyFor(batchNo),
            Outcome = outcome,
            Records = records,
            RecordedUtc = time.GetUtcNow(),
        };
        for (var attempt = 0; ; attempt++)
        {
            var row = await GetAsync(importId, cancellationToken).ConfigureAwait(false);
            List<TableTransactionAction> actions = [new(TableTransactionActionType.Add, marker)];
            if (row is not null)
            {
                change(row);
                row.UpdatedUtc = time.GetUtcNow();
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag));
            }

            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TableTransactionFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
            {
                return false;
            }
            catch (TableTransactionFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // The counters moved meanwhile; read again and re-apply.
            }
        }
    }
}
