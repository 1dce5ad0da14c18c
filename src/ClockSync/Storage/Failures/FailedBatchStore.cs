using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ClockSync.Storage.Batches;

namespace ClockSync.Storage.Failures;

/// <summary>The <c>FailedBatches</c> table: record, find due, claim (ETag-guarded), reschedule, park, delete.</summary>
public sealed class FailedBatchStore(PipelineStorage storage)
{
    private TableClient Table => storage.FailedBatches;

    public static string SerializeRecords(IReadOnlyList<BatchRecord> records) => JsonSerializer.Serialize(records, BatchMessage.Json);

    public static IReadOnlyList<BatchRecord> DeserializeRecords(string json) =>
        JsonSerializer.Deserialize<List<BatchRecord>>(json, BatchMessage.Json) ?? [];

    /// <summary>Writes (or overwrites, for a re-recorded outcome) a row.</summary>
    public Task UpsertAsync(FailedBatchEntity row, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Pending rows due at <paramref name="now"/>, oldest due first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<FailedBatchEntity>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {FailedBatchEntity.Pending} and NextDueUtc le {now}");
        var due = new List<FailedBatchEntity>();
        await foreach (var row in Table.QueryAsync<FailedBatchEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            due.Add(row);
        }

        return due.OrderBy(row => row.NextDueUtc).Take(limit).ToList();
    }

    /// <summary>
    /// Claims a row for one retry: pushes its due time to the lease end, guarded by the ETag it was read with.
    /// False when another run changed it first (it claimed, retried or deleted the row).
    /// </summary>
    public async Task<bool> TryClaimAsync(FailedBatchEntity row, string claimant, DateTimeOffset leaseUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        row.NextDueUtc = leaseUntil;
        row.ClaimedBy = claimant;
        row.UpdatedUtc = now;
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Writes a claimed row back (rescheduled or parked), guarded by the claim's ETag.</summary>
    public async Task ReplaceClaimedAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        row.ClaimedBy = null;
        await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteClaimedAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await Table.DeleteEntityAsync(row, row.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            // Already gone: nothing left to retry.
        }
    }

    /// <summary>
    /// Parked rows of every import parked at or after <paramref name="since"/> (the parked digest). A row without
    /// <c>UpdatedUtc</c> (the parked part of a partly accepted batch) counts from the table's own timestamp. Parked rows
    /// are few (they wait for a person), so they are filtered here rather than by an index the table does not have.
    /// </summary>
    public async Task<IReadOnlyList<FailedBatchEntity>> ListParkedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = new List<FailedBatchEntity>();
        var filter = TableClient.CreateQueryFilter($"State eq {FailedBatchEntity.Parked}");
        await foreach (var row in Table.QueryAsync<FailedBatchEntity>(
            filter, select: ["PartitionKey", "RowKey", "BatchNo", "RecordCount", "ParkReason", "UpdatedUtc", "Timestamp"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if ((row.UpdatedUtc ?? row.Timestamp) >= since)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Every row of an import (operators, tests).</summary>
    public async Task<IReadOnlyList<FailedBatchEntity>> ListAsync(string importId, CancellationToken cancellationToken)
    {
        var rows = new List<FailedBatchEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {importId}");
        await foreach (var row in Table.QueryAsync<FailedBatchEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }
}
