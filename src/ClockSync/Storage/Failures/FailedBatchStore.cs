using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ClockSync.Storage.Batches;

namespace ClockSync.Storage.Failures;

/// <summary>
/// The <c>FailedBatches</c> table, and the only code that reads or writes it: record, find due, claim (ETag-guarded),
/// reschedule, park, re-queue, delete, list. Records that would not fit a row's 64 KiB property go to a claim-check blob
/// (<c>{ClaimCheckContainer}/failed/{importId}/{rowKey}.json</c>, named in <see cref="FailedBatchEntity.RecordsBlob"/>),
/// the way a batch too big for a queue message does.
/// </summary>
public sealed class FailedBatchStore(PipelineStorage storage)
{
    /// <summary>
    /// A string property holds at most 64 KiB of UTF-16, 32,768 characters; JSON of 50 records with long Chinese device
    /// names escaped can pass it. Below this many characters the records stay inline.
    /// </summary>
    internal const int MaxInlineRecordChars = 30_000;

    private TableClient Table => storage.FailedBatches;

    public static string SerializeRecords(IReadOnlyList<BatchRecord> records) => JsonSerializer.Serialize(records, BatchMessage.Json);

    /// <summary>The inline records of a row (empty when they are in a claim-check blob: use <see cref="ReadRecordsAsync"/>).</summary>
    public static IReadOnlyList<BatchRecord> DeserializeRecords(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<BatchRecord>>(json, BatchMessage.Json) ?? [];

    /// <summary>A row's records, inline or from its claim-check blob.</summary>
    public async Task<IReadOnlyList<BatchRecord>> ReadRecordsAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.RecordsBlob is not { Length: > 0 } name)
        {
            return DeserializeRecords(row.Records);
        }

        var content = await storage.ClaimChecks.GetBlobClient(name).DownloadContentAsync(cancellationToken);
        return BatchMessage.ParseRecords(content.Value.Content);
    }

    /// <summary>Writes (or overwrites, for a re-recorded outcome) a row with its records.</summary>
    public async Task UpsertAsync(FailedBatchEntity row, IReadOnlyList<BatchRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await SetRecordsAsync(row, records, cancellationToken);
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Pending rows due at <paramref name="now"/>, oldest due first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<FailedBatchEntity>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {FailedBatchEntity.Pending} and NextDueUtc le {now}");
        var due = new List<FailedBatchEntity>();
        await foreach (var row in Table.QueryAsync<FailedBatchEntity>(filter, cancellationToken: cancellationToken))
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
        return await TryReplaceAsync(row, cancellationToken);
    }

    /// <summary>Writes a claimed row back (rescheduled or parked), guarded by the claim's ETag; new records when given.</summary>
    public async Task ReplaceClaimedAsync(FailedBatchEntity row, IReadOnlyList<BatchRecord>? records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        row.ClaimedBy = null;
        if (records is not null)
        {
            await SetRecordsAsync(row, records, cancellationToken);
        }

        await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteClaimedAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await Table.DeleteEntityAsync(row, row.ETag, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            // Already gone: nothing left to retry.
        }

        if (row.RecordsBlob is { Length: > 0 } name)
        {
            await storage.ClaimChecks.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
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
            filter, select: ["PartitionKey", "RowKey", "BatchNo", "RecordCount", "ParkReason", "UpdatedUtc", "Timestamp"], cancellationToken: cancellationToken))
        {
            if ((row.UpdatedUtc ?? row.Timestamp) >= since)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>
    /// Makes pending rows due at <paramref name="dueFrom"/> or later due at <paramref name="now"/> (the rows a posting
    /// pause scheduled for its end, when an operator ends it early). ETag-guarded: a row a retry run changed meanwhile
    /// is left to it. Returns how many rows were brought forward.
    /// </summary>
    public async Task<int> BringForwardAsync(DateTimeOffset dueFrom, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {FailedBatchEntity.Pending} and NextDueUtc ge {dueFrom}");
        var moved = 0;
        await foreach (var row in Table.QueryAsync<FailedBatchEntity>(filter, cancellationToken: cancellationToken))
        {
            row.NextDueUtc = now;
            row.UpdatedUtc = now;
            try
            {
                await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                moved++;
            }
            catch (RequestFailedException exception) when (exception.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                // A retry run holds or finished it.
            }
        }

        return moved;
    }

    /// <summary>
    /// Makes a row due now; a parked row becomes pending with a fresh set of attempts in a new re-queue round (so the
    /// keys of what this round writes cannot meet the last round's). ETag-guarded: false when the row changed meanwhile.
    /// </summary>
    public async Task<bool> TryRequeueAsync(FailedBatchEntity row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var wasParked = row.State == FailedBatchEntity.Parked;
        row.State = FailedBatchEntity.Pending;
        row.NextDueUtc = now;
        row.UpdatedUtc = now;
        if (wasParked)
        {
            // A fresh budget: otherwise a row parked after MaxAttempts would be parked again after one try.
            row.AttemptCount = 0;
            row.AuthFailures = 0;
            row.ParkReason = null;
            row.Requeues++;
        }

        return await TryReplaceAsync(row, cancellationToken);
    }

    /// <summary>Parks a pending row at an operator's word. ETag-guarded: false when the row changed meanwhile.</summary>
    public async Task<bool> TryParkAsync(FailedBatchEntity row, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        row.State = FailedBatchEntity.Parked;
        row.ParkReason = reason;
        row.UpdatedUtc = now;
        return await TryReplaceAsync(row, cancellationToken);
    }

    /// <summary>Every row, or one import's, ordered by import and row key (operators, the demo, tests).</summary>
    public async Task<IReadOnlyList<FailedBatchEntity>> ListAsync(string? importId, CancellationToken cancellationToken)
    {
        var rows = new List<FailedBatchEntity>();
        var filter = importId is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {importId}");
        await foreach (var row in Table.QueryAsync<FailedBatchEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows.OrderBy(row => row.PartitionKey, StringComparer.Ordinal).ThenBy(row => row.RowKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>The row named <c>{importId}/{rowKey}</c>, or null.</summary>
    public async Task<FailedBatchEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == id.Length - 1)
        {
            return null;
        }

        var found = await Table.GetEntityIfExistsAsync<FailedBatchEntity>(id[..slash], id[(slash + 1)..], cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Rows per import and state, reading only those two columns (status).</summary>
    public async Task<IReadOnlyDictionary<(string ImportId, string State), int>> CountByImportAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string, string), int>();
        await foreach (var row in Table.QueryAsync<TableEntity>(select: ["PartitionKey", "State"], cancellationToken: cancellationToken))
        {
            var key = (row.PartitionKey, row.GetString("State") ?? FailedBatchEntity.Pending);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private async Task<bool> TryReplaceAsync(FailedBatchEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task SetRecordsAsync(FailedBatchEntity row, IReadOnlyList<BatchRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var json = SerializeRecords(records);
        row.RecordCount = records.Count;
        if (json.Length <= MaxInlineRecordChars)
        {
            row.Records = json;
            row.RecordsBlob = null;
            return;
        }

        // Deterministic per row: writing the row again overwrites its own blob.
        var name = $"failed/{row.PartitionKey}/{row.RowKey}.json";
        await storage.ClaimChecks.GetBlobClient(name).UploadAsync(BinaryData.FromString(json), overwrite: true, cancellationToken);
        row.Records = string.Empty;
        row.RecordsBlob = name;
    }
}
