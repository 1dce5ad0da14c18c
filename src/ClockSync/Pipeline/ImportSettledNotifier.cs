using System.Collections.Concurrent;
using ClockSync.Feishu.Configuration;
using ClockSync.Notify;
using ClockSync.Notify.Cards;
using ClockSync.Secrets;
using ClockSync.Storage;
using ClockSync.Storage.CallCounts;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Reports;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

/// <summary>
/// Tells the chat when an import has settled — its file is read (or found unreadable) and every punch it queued is
/// posted or parked, with no batch waiting for a retry — by one card per import (<see cref="Notifier"/> holds the marker
/// that makes it one, also across redeliveries and instances). The handlers call it after their own work is recorded;
/// it never throws (but for cancellation) and does nothing at all when no chat is configured.
/// </summary>
/// <remarks>
/// After a post, the full check (summing the import's partition, listing its failed rows) runs only once the import's
/// last batch has a marker, or the post was that batch: batches are posted roughly in order, so an import of n batches
/// pays a point read per post and a few full checks near its end, not n of them.
/// </remarks>
public sealed partial class ImportSettledNotifier(
    Notifier notifier,
    ImportStore imports,
    FailedBatchStore failures,
    ImportReportStore reports,
    UnknownUserStore unknownUsers,
    IOptions<FeishuOptions> feishu,
    TableFeishuCallCounter callCounts,
    IFeishuAppCredentialsProvider credentials,
    TimeProvider time,
    ILogger<ImportSettledNotifier> logger)
{
    private const int MaxRemembered = 10_000;

    // Imports whose card this process knows to be claimed: later posts of them skip every read.
    private readonly ConcurrentDictionary<string, byte> _notified = new(StringComparer.Ordinal);

    /// <summary>After ingest has finished an import (read, not an export, or unreadable).</summary>
    public Task AfterIngestAsync(string importId, CancellationToken cancellationToken) => CheckAsync(importId, postedBatch: null, cancellationToken);

    /// <summary>After a batch's first post was recorded, or a redelivery found it recorded.</summary>
    public Task AfterPostAsync(string importId, int batchNo, CancellationToken cancellationToken) => CheckAsync(importId, batchNo, cancellationToken);

    /// <summary>After a retry run: the imports whose failed rows it worked on, then the parked digest.</summary>
    public async Task AfterRetryRunAsync(IEnumerable<string> importIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(importIds);
        if (!notifier.Enabled)
        {
            return;
        }

        foreach (var importId in importIds.Distinct(StringComparer.Ordinal))
        {
            await CheckAsync(importId, postedBatch: null, cancellationToken);
        }

        await notifier.NotifyParkedAsync(ParkedSinceAsync, cancellationToken);
    }

    private async Task CheckAsync(string importId, int? postedBatch, CancellationToken cancellationToken)
    {
        if (!notifier.Enabled || _notified.ContainsKey(importId))
        {
            return;
        }

        try
        {
            var row = await imports.GetAsync(importId, cancellationToken);
            if (row is null || !ImportState.IsFinal(row.State))
            {
                return;
            }

            if (postedBatch is { } batchNo && batchNo != row.BatchesEnqueued && row.BatchesEnqueued > 0
                && !await imports.IsBatchRecordedAsync(importId, row.BatchesEnqueued, cancellationToken))
            {
                return;
            }

            if (await notifier.IsImportNotifiedAsync(importId, cancellationToken))
            {
                Remember(importId);
                return;
            }

            var totals = await imports.GetTotalsAsync(importId, cancellationToken);
            var rows = await failures.ListAsync(importId, cancellationToken);
            // Settled: nothing waits for a retry and every queued punch is posted, parked or held for a user Feishu does not
            // know (held punches wait for a corrected mapping, not for a retry).
            if (totals is null || rows.Any(failed => failed.State == FailedBatchEntity.Pending)
                || totals.Posting.PunchesPosted + totals.Posting.PunchesParked + totals.Posting.PunchesHeld < row.NewPunches)
            {
                return;
            }

            var parkReasons = rows.Where(failed => failed.State == FailedBatchEntity.Parked && failed.ParkReason is not null)
                .Select(failed => failed.ParkReason!).Distinct(StringComparer.Ordinal).ToList();
            var heldUsers = totals.Posting.PunchesHeld == 0 ? []
                : await unknownUsers.HeldClockKeysAsync(importId, cancellationToken);
            var budget = feishu.Value.MonthlyCallBudget;
            var input = ImportCardInput.From(await ReadReportAsync(row, cancellationToken), totals, parkReasons) with
            {
                CallsThisMonth = await CallsThisMonthAsync(cancellationToken),
                HeldUsers = heldUsers,
                HeldPunches = totals.Posting.PunchesHeld,
                CallBudget = budget is > 0 ? budget : null,
            };
            await notifier.SendImportCardAsync(importId, ImportCard.Build(input), cancellationToken);
            Remember(importId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A card is news about the import, never part of it: whatever went wrong here stays here.
            LogCheckFailed(logger, importId, exception.GetType().Name, exception.Message);
        }
    }

    private void Remember(string importId)
    {
        if (_notified.Count >= MaxRemembered)
        {
            _notified.Clear();
        }

        _notified.TryAdd(importId, 0);
    }

    /// <summary>The import's report, when the blob still holds this import's (a later version of the file overwrites it).</summary>
    private async Task<ImportReport?> ReadReportAsync(ImportEntity row, CancellationToken cancellationToken)
    {
        var json = await reports.ReadAsync(ImportCardInput.FileOf(row.Blob), cancellationToken);
        var report = json is null ? null : ImportReport.FromJson(json);
        return report is not null && string.Equals(report.ImportId, row.PartitionKey, StringComparison.Ordinal) ? report : null;
    }

    private async Task<long?> CallsThisMonthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var app = await credentials.GetAsync(forceRefresh: false, cancellationToken);
            await callCounts.FlushAsync(cancellationToken);
            return await callCounts.CountMonthAsync(app.AppId, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The figure is a courtesy; the card goes without it.
            LogCallsUnknown(logger, exception);
            return null;
        }
    }

    private async Task<IReadOnlyList<ParkedBatch>> ParkedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = await failures.ListParkedSinceAsync(since, cancellationToken);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var parked = new List<ParkedBatch>(rows.Count);
        foreach (var row in rows.OrderBy(row => row.PartitionKey, StringComparer.Ordinal).ThenBy(row => row.BatchNo))
        {
            if (!files.TryGetValue(row.PartitionKey, out var file))
            {
                var blob = (await imports.GetAsync(row.PartitionKey, cancellationToken))?.Blob ?? row.PartitionKey;
                files[row.PartitionKey] = file = ImportCardInput.FileOf(blob);
            }

            parked.Add(new ParkedBatch(row.PartitionKey, file, row.BatchNo, row.RecordCount, row.ParkReason ?? "no reason recorded"));
        }

        return parked;
    }

    [LoggerMessage(EventId = 4610, Level = LogLevel.Warning, Message = "Import {ImportId}: could not tell whether it has settled or send its card ({ErrorType}: {Error}); the import is not affected")]
    private static partial void LogCheckFailed(ILogger logger, string importId, string errorType, string error);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Debug, Message = "The month's Feishu call count could not be read; the card goes without it")]
    private static partial void LogCallsUnknown(ILogger logger, Exception exception);
}
