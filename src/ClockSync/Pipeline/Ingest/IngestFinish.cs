using ClockSync.Exports;
using ClockSync.Punches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.UnknownUsers;

namespace ClockSync.Pipeline.Ingest;

/// <summary>What a finished read found, for the report and the <c>Imports</c> row.</summary>
internal sealed record ReadOutcome(
    OpenedExport Export, ImportTally Tally, string? Unreadable, long AlreadyImported, long NewPunches, int LastBatch,
    IReadOnlyDictionary<string, long> HeldByUser, int Sent);

/// <summary>
/// A run's last step, one of three: the file was read (report, final row, metrics, the settled check); it is not a
/// clock export (report and row say why); or its version was replaced or deleted (claims past what is on the queue
/// released for the newer version's run, no report: the blob name's report is the newer version's to write).
/// </summary>
internal sealed class IngestFinish(IngestServices services, PinnedExport source, string importId, RunLease lease)
{
    public async Task<IngestResult> ReadAsync(ReadOutcome outcome, CancellationToken cancellationToken)
    {
        var (export, tally, unreadable) = (outcome.Export, outcome.Tally, outcome.Unreadable);
        var summary = tally.ToSummary(export.FileName, ExportFormatNames.ToName(export.Format), export.Encoding, services.Options.TimeZone);
        var report = new ImportReport(importId, source.Path, source.Properties.ETag.ToString(),
            unreadable is null ? ImportReport.Imported : ImportReport.Unreadable, unreadable, outcome.AlreadyImported, outcome.NewPunches, outcome.LastBatch, summary)
        {
            UnknownUsers = outcome.HeldByUser.Count == 0 ? null
                : outcome.HeldByUser.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new UnknownUserPunches(pair.Key, pair.Value)).ToList(),
        };
        await services.Reports.WriteAsync(source.Name, report.ToJson(), cancellationToken);
        await lease.UpdateAsync(entity =>
        {
            entity.State = unreadable is null ? ImportState.Enqueued : ImportState.Unreadable;
            entity.Reason = unreadable;
            entity.Lines = summary.Lines;
            entity.Skipped = summary.Skipped;
            entity.Accepted = summary.Punches;
            entity.Rejected = summary.Rejected;
            entity.Duplicates = summary.Duplicates;
            entity.AlreadyImported = outcome.AlreadyImported;
            entity.NewPunches = outcome.NewPunches;
            entity.BatchesClaimed = outcome.LastBatch;
            entity.BatchesEnqueued = outcome.LastBatch;
            entity.RunId = null;
            entity.LeaseUntilUtc = null;
        }, cancellationToken);

        var metrics = services.Metrics;
        metrics.PunchesRead.Add(summary.Lines);
        metrics.PunchesAccepted.Add(summary.Punches);
        metrics.PunchesRejected.Add(summary.Rejected);
        metrics.PunchesDuplicate.Add(summary.Duplicates);
        metrics.PunchesAlreadyImported.Add(outcome.AlreadyImported);
        IngestLog.Ingested(services.Logger, importId, source.Name, summary.Lines, summary.Punches, summary.Rejected, summary.Duplicates, outcome.AlreadyImported, outcome.LastBatch);
        await services.Settled.AfterIngestAsync(importId, cancellationToken);
        return new IngestResult(importId, outcome.Sent, AlreadyIngested: false, NotAnExport: false);
    }

    public async Task<IngestResult> NotAnExportAsync(string reason, CancellationToken cancellationToken)
    {
        var report = new ImportReport(importId, source.Path, source.Properties.ETag.ToString(), ImportReport.NotAnExport,
            $"{source.Name} is not a clock export ClockSync can read: {reason}", 0, 0, 0, Summary: null);
        await services.Reports.WriteAsync(source.Name, report.ToJson(), cancellationToken);
        await lease.UpdateAsync(row =>
        {
            row.State = ImportState.NotAnExport;
            row.Reason = reason;
            row.RunId = null;
            row.LeaseUntilUtc = null;
        }, cancellationToken);
        IngestLog.NotAnExport(services.Logger, importId, source.Name, reason);
        await services.Settled.AfterIngestAsync(importId, cancellationToken);
        return new IngestResult(importId, 0, AlreadyIngested: false, NotAnExport: true);
    }

    /// <summary>Batches 1..<paramref name="releasedAfter"/> are on the queue; the rest of the claims are released.</summary>
    public async Task<IngestResult> SupersededAsync(string reason, int releasedAfter, int sent, CancellationToken cancellationToken)
    {
        await services.Imports.EndSupersededAsync(lease.Row, lease.RunId, releasedAfter, reason, cancellationToken);
        IngestLog.Superseded(services.Logger, importId, source.Name, reason, releasedAfter);
        return new IngestResult(importId, sent, AlreadyIngested: false, NotAnExport: false, Superseded: true);
    }
}
