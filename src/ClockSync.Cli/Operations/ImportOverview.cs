using Azure.Data.Tables;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Cli.Operations;

/// <summary>
/// One import as <c>status</c> shows it: the Imports row's counters, plus what is still on its way — batches queued
/// but not yet posted once (enqueued minus batch markers) and the failed-batch rows pending retry or parked.
/// </summary>
internal sealed record ImportOverview(
    string ImportId,
    string Blob,
    string State,
    string? Reason,
    DateTimeOffset StartedUtc,
    DateTimeOffset? UpdatedUtc,
    long Lines,
    long Punches,
    long Rejected,
    long Duplicates,
    long AlreadyImported,
    long NewPunches,
    int BatchesEnqueued,
    int BatchesPosted,
    int BatchesQueued,
    int BatchesPendingRetry,
    int BatchesParked,
    long PunchesPosted,
    long PunchesParked,
    long FeishuCalls,
    long Throttled)
{
    public static async Task<IReadOnlyList<ImportOverview>> ListAsync(PipelineStorage storage, CancellationToken cancellationToken)
    {
        var imports = new List<ImportEntity>();
        var markers = new Dictionary<string, int>(StringComparer.Ordinal);
        var failed = new Dictionary<(string, string), int>();
        await foreach (var row in storage.Imports.QueryAsync<ImportEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {ImportEntity.RowKeyValue}"), cancellationToken: cancellationToken))
        {
            imports.Add(row);
        }

        // Batch markers are "batch-000001"…: the range between "batch-" and "batch." holds exactly them.
        await foreach (var marker in storage.Imports.QueryAsync<TableEntity>(
            "RowKey ge 'batch-' and RowKey lt 'batch.'", select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            markers[marker.PartitionKey] = markers.GetValueOrDefault(marker.PartitionKey) + 1;
        }

        await foreach (var row in storage.FailedBatches.QueryAsync<TableEntity>(
            select: ["PartitionKey", "State"], cancellationToken: cancellationToken))
        {
            var key = (row.PartitionKey, row.GetString("State") ?? FailedBatchEntity.Pending);
            failed[key] = failed.GetValueOrDefault(key) + 1;
        }

        return imports
            .OrderBy(row => row.StartedUtc)
            .Select(row => new ImportOverview(
                row.PartitionKey,
                row.Blob,
                row.State,
                row.Reason,
                row.StartedUtc,
                row.UpdatedUtc,
                row.Lines,
                row.Accepted,
                row.Rejected,
                row.Duplicates,
                row.AlreadyImported,
                row.NewPunches,
                row.BatchesEnqueued,
                row.BatchesPosted,
                Math.Max(0, row.BatchesEnqueued - markers.GetValueOrDefault(row.PartitionKey)),
                failed.GetValueOrDefault((row.PartitionKey, FailedBatchEntity.Pending)),
                failed.GetValueOrDefault((row.PartitionKey, FailedBatchEntity.Parked)),
                row.PunchesPosted,
                row.PunchesParked,
                row.FeishuPosts,
                row.Throttled))
            .ToList();
    }
}
