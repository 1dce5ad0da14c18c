using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Cli.Commands;

/// <summary>
/// One import as <c>status</c> shows it: its totals (<see cref="ImportStore.ListTotalsAsync"/>), plus what is still on its
/// way — batches queued but not yet posted once (enqueued minus batch markers) and the failed-batch rows pending retry
/// or parked.
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
    long PunchesHeld,
    long FeishuCalls,
    long Throttled)
{
    public static async Task<IReadOnlyList<ImportOverview>> ListAsync(FailedBatchStore failures, ImportStore imports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(imports);
        var totals = await imports.ListTotalsAsync(cancellationToken);
        var failed = await failures.CountByImportAsync(cancellationToken);
        return totals.Select(total => From(total, failed)).ToList();
    }

    private static ImportOverview From(ImportTotals total, IReadOnlyDictionary<(string ImportId, string State), int> failed)
    {
        var row = total.Import;
        return new ImportOverview(
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
            total.Posting.BatchesPosted,
            Math.Max(0, row.BatchesEnqueued - total.BatchesRecorded),
            failed.GetValueOrDefault((row.PartitionKey, FailedBatchEntity.Pending)),
            failed.GetValueOrDefault((row.PartitionKey, FailedBatchEntity.Parked)),
            total.Posting.PunchesPosted,
            total.Posting.PunchesParked,
            total.Posting.PunchesHeld,
            total.Posting.FeishuPosts,
            total.Posting.Throttled);
    }
}
