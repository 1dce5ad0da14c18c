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
        var row = await Table.GetEntityIfExistsAsync<ImportEntity>(importId, ImportEntity.RowKeyValue, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Creates the row, or returns the existing one when another delivery created it first.</summary>
    public async Task<ImportEntity> GetOrCreateAsync(string importId, string blob, string blobETag, CancellationToken cancellationToken)
    {
        if (await GetAsync(importId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var entity = new ImportEntity { PartitionKey = importId, Blob = blob, BlobETag = blobETag, StartedUtc = time.GetUtcNow() };
        try
        {
            var response = await Table.AddEntityAsync(entity, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return entity;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            return await GetAsync(importId, cancellationToken)
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
                ?? await GetAsync(importId, cancellationToken)
                ?? throw new InvalidOperationException($"Import {importId} has no Imports row.");
            change(row);
            row.UpdatedUtc = time.GetUtcNow();
            try
            {
                var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                row.ETag = response.Headers.ETag ?? default;
                return row;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // Someone else changed the row meanwhile: read it again and re-apply.
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="runId"/> the one run of the import, for <paramref name="lease"/>: it succeeds when no run
    /// holds the row, the holder's lease has lapsed (it died), or the caller holds it already. Started is false when the
    /// row is final or another run's lease is still current; the row returned is the latest read either way.
    /// </summary>
    public async Task<(ImportEntity Row, bool Started)> TryStartRunAsync(ImportEntity row, string runId, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            if (ImportState.IsFinal(row.State)
                || (row.RunId is { } holder && !string.Equals(holder, runId, StringComparison.Ordinal) && row.LeaseUntilUtc > now))
            {
                return (row, false);
            }

            row.RunId = runId;
            row.LeaseUntilUtc = now + lease;
            row.UpdatedUtc = now;
            try
            {
                var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                row.ETag = response.Headers.ETag ?? default;
                return (row, true);
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // Another delivery moved first: decide again on what it wrote.
                row = await GetAsync(row.PartitionKey, cancellationToken)
                    ?? throw new InvalidOperationException($"Import {row.PartitionKey} has no Imports row.", exception);
            }
        }
    }

    /// <summary>
    /// <see cref="UpdateAsync(ImportEntity, Action{ImportEntity}, CancellationToken)"/> for the run holding the import:
    /// renews its lease with the change, and refuses (<see cref="ImportRunEndedException"/>) once the row is final or
    /// another run holds it, so a run that lost the import stops before it sends anything more.
    /// </summary>
    public Task<ImportEntity> UpdateRunAsync(ImportEntity known, string runId, TimeSpan lease, Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return UpdateAsync(known, entity =>
        {
            if (!string.Equals(entity.State, ImportState.Ingesting, StringComparison.Ordinal) || !string.Equals(entity.RunId, runId, StringComparison.Ordinal))
            {
                throw new ImportRunEndedException(entity.PartitionKey, entity.State);
            }

            entity.LeaseUntilUtc = time.GetUtcNow() + lease;
            change(entity);
        }, cancellationToken);
    }

    /// <summary>
    /// Lets go of a run's lease early (the run failed and stopped; its sends are over), so the next delivery need not
    /// wait for it to lapse. Best effort: a row changed meanwhile is left as it is.
    /// </summary>
    public async Task LetGoAsync(string importId, string runId, CancellationToken cancellationToken)
    {
        if (await GetAsync(importId, cancellationToken) is not { } row
            || !string.Equals(row.RunId, runId, StringComparison.Ordinal) || ImportState.IsFinal(row.State))
        {
            return;
        }

        row.RunId = null;
        row.LeaseUntilUtc = null;
        row.UpdatedUtc = time.GetUtcNow();
        try
        {
            await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            // Someone else wrote the row meanwhile (a run took over, or it was adopted): nothing of ours to let go.
        }
    }

    /// <summary>
    /// Makes <paramref name="importId"/> the current import of <paramref name="blob"/> and adopts the one it replaces:
    /// when that earlier version's import is unfinished it becomes <see cref="ImportState.Superseded"/> and its batches
    /// past its enqueued checkpoint are released (<see cref="ReleasedAsync"/>), so this run claims and sends whatever
    /// of them this version holds. <paramref name="isCurrentVersion"/> is asked after the pointer is read: only the
    /// blob's current version may move it, so an earlier version's late run never takes over from a later one.
    /// </summary>
    /// <returns>The adoption, or null when this version is no longer the blob's current one (its run should end).</returns>
    public async Task<Adoption?> AdoptPreviousAsync(string blob, string importId, Func<CancellationToken, Task<bool>> isCurrentVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrentVersion);
        var partition = BlobCurrentImportEntity.PartitionKeyFor(blob);
        for (var attempt = 0; ; attempt++)
        {
            var pointer = await Table.GetEntityIfExistsAsync<BlobCurrentImportEntity>(partition, BlobCurrentImportEntity.RowKeyValue, cancellationToken: cancellationToken);
            var previous = pointer.HasValue ? pointer.Value!.ImportId : null;
            if (string.Equals(previous, importId, StringComparison.Ordinal))
            {
                return new Adoption(null, null);
            }

            if (!await isCurrentVersion(cancellationToken))
            {
                return null;
            }

            int? released = previous is null ? null : await SupersedeAsync(previous, importId, cancellationToken);
            var current = new BlobCurrentImportEntity { PartitionKey = partition, Blob = blob, ImportId = importId };
            try
            {
                if (pointer.HasValue)
                {
                    await Table.UpdateEntityAsync(current, pointer.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await Table.AddEntityAsync(current, cancellationToken);
                }

                return new Adoption(previous, released);
            }
            catch (RequestFailedException exception)
                when (exception.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict && attempt < MaxConcurrencyRetries)
            {
                // Another run of this blob moved the pointer meanwhile: read it again (and whether this version is still current).
            }
        }
    }

    /// <summary>
    /// Ends a run whose blob version was replaced or deleted mid-read: its sends are over, batches 1..<paramref name="releasedAfter"/>
    /// are on the queue and the rest of its claims are released. Nothing to do when the newer version's run adopted it first.
    /// </summary>
    public async Task EndSupersededAsync(ImportEntity known, string runId, int releasedAfter, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        await ReleaseAsync(known.PartitionKey, releasedAfter, cancellationToken);
        try
        {
            await UpdateRunAsync(known, runId, TimeSpan.Zero, entity =>
            {
                entity.State = ImportState.Superseded;
                entity.Reason = reason;
                entity.RunId = null;
                entity.LeaseUntilUtc = null;
            }, cancellationToken);
        }
        catch (ImportRunEndedException)
        {
            // Adopted by the newer version's run already: it released the same claims (or fewer, which is as safe).
        }
    }

    /// <summary>Every released import with the last batch it had on the queue (<see cref="ReleasedImportEntity"/>): one partition, one query.</summary>
    public async Task<Dictionary<string, int>> ReleasedAsync(CancellationToken cancellationToken)
    {
        var released = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<ReleasedImportEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {ReleasedImportEntity.PartitionKeyValue}"), cancellationToken: cancellationToken))
        {
            released[row.RowKey] = row.ReleasedAfter;
        }

        return released;
    }

    /// <returns>The released checkpoint, or null when the import had finished (or never existed).</returns>
    private async Task<int?> SupersedeAsync(string importId, string by, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await GetAsync(importId, cancellationToken) is not { } row || ImportState.IsFinal(row.State))
            {
                return null;
            }

            // Released first, superseded second: a run dying in between leaves the import unfinished and its claims
            // released, which the next run of the blob repeats; the reverse order could leave a final import owning punches never sent.
            var releasedAfter = row.BatchesEnqueued;
            await ReleaseAsync(importId, releasedAfter, cancellationToken);
            row.State = ImportState.Superseded;
            row.Reason = $"a newer version of the blob arrived before this one was fully enqueued; import {by} took over its unsent punches";
            row.RunId = null;
            row.LeaseUntilUtc = null;
            row.UpdatedUtc = time.GetUtcNow();
            try
            {
                await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return releasedAfter;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // Its run committed (and enqueued) more meanwhile: release from its newer checkpoint.
            }
        }
    }

    private async Task ReleaseAsync(string importId, int releasedAfter, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(new ReleasedImportEntity { RowKey = importId, ReleasedAfter = releasedAfter }, TableUpdateMode.Replace, cancellationToken);

    public async Task<bool> IsBatchRecordedAsync(string importId, int batchNo, CancellationToken cancellationToken)
    {
        var marker = await Table.GetEntityIfExistsAsync<BatchMarkerEntity>(
            importId, BatchMarkerEntity.RowKeyFor(batchNo), select: ["Outcome"], cancellationToken);
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
            await Table.AddEntityAsync(marker, cancellationToken);
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
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The import's row with its posting totals, or null when there is no such import.</summary>
    public async Task<ImportTotals?> GetTotalsAsync(string importId, CancellationToken cancellationToken)
    {
        if (await GetAsync(importId, cancellationToken) is not { } row)
        {
            return null;
        }

        var sums = new Dictionary<string, (PostingCounts Counts, int Markers)>(StringComparer.Ordinal);
        await SumAsync(sums, TableClient.CreateQueryFilter($"PartitionKey eq {importId} and RowKey ne {ImportEntity.RowKeyValue}"), cancellationToken);
        return Totals(row, sums);
    }

    /// <summary>Every import with its posting totals, oldest first.</summary>
    public async Task<IReadOnlyList<ImportTotals>> ListTotalsAsync(CancellationToken cancellationToken)
    {
        var rows = await ListAsync(cancellationToken);
        var sums = new Dictionary<string, (PostingCounts Counts, int Markers)>(StringComparer.Ordinal);
        await SumAsync(sums, TableClient.CreateQueryFilter($"RowKey ne {ImportEntity.RowKeyValue}"), cancellationToken);
        return rows.Select(row => Totals(row, sums)).ToList();
    }

    /// <summary>Every import's own row (no totals), oldest first.</summary>
    public async Task<IReadOnlyList<ImportEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ImportEntity>();
        await foreach (var row in Table.QueryAsync<ImportEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {ImportEntity.RowKeyValue}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows.OrderBy(row => row.StartedUtc).ToList();
    }

    private async Task SumAsync(Dictionary<string, (PostingCounts Counts, int Markers)> sums, string filter, CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: PostingCountsEntity.CountColumns, cancellationToken: cancellationToken))
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
