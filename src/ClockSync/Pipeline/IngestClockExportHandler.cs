using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ClockSync.Exports;
using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

/// <summary>
/// Ingests one export blob: reads it streaming, normalises, drops what the ledger already holds, enqueues batches of
/// at most 50 punches, records the import and writes its report. Host-independent: the Functions trigger and the
/// local WebJobs host both call it.
/// </summary>
/// <remarks>
/// <para><b>Re-runnable.</b> The import id hashes the blob's name and ETag, and the whole read is pinned to that ETag.
/// New punches are numbered into batches in file order; before batch n is sent, its punches are written to the ledger
/// as owned by this import and batch n. A redelivery of the same version after a crash reads the file again: punches
/// this import already owns count as new again, so batches 1..k come out identical, and the ones at or below the
/// Imports row's <c>BatchesEnqueued</c> checkpoint are not sent again. The checkpoint advances over contiguous sent
/// batches every <see cref="CheckpointEvery"/> batches, so at most that many plus the in-flight window may be sent a
/// second time after a crash; such a duplicate is a no-op at posting (batch marker) or at Feishu (idempotent_id).</para>
/// <para>Once the row is final (enqueued, not an export, unreadable) a redelivery does nothing.</para>
/// </remarks>
public sealed class IngestClockExportHandler(
    PipelineStorage storage,
    ImportStore imports,
    BatchMessenger messenger,
    IOptions<PunchOptions> punchOptions,
    IdMappingSource mappings,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<IngestClockExportHandler> logger)
{
    private const int CheckpointEvery = 32;

    /// <summary>Ingests <paramref name="blob"/> (its current version, pinned by ETag for the whole read).</summary>
    public async Task<IngestResult> HandleAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var etag = properties.ETag.ToString();
        var importId = ImportIds.For(blob.BlobContainerName, blob.Name, etag);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImportId"] = importId, ["Blob"] = blob.Name });

        var row = await imports.GetOrCreateAsync(importId, $"{blob.BlobContainerName}/{blob.Name}", etag, cancellationToken).ConfigureAwait(false);
        if (ImportState.IsFinal(row.State))
        {
            IngestLog.AlreadyIngested(logger, importId, blob.Name, row.State);
            return new IngestResult(importId, 0, AlreadyIngested: true, NotAnExport: row.State == ImportState.NotAnExport);
        }

        if (properties.ContentLength == 0)
        {
            return await FinishNotAnExportAsync(blob, importId, etag, "the file is empty (0 bytes)", cancellationToken).ConfigureAwait(false);
        }

        var mapping = await mappings.LoadAsync(cancellationToken).ConfigureAwait(false);
        var content = await blob.OpenReadAsync(
            new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } },
            cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            OpenedExport export;
            try
            {
                export = ExportFileReader.Open(content, blob.Name, ExportReadOptions.Default, cancellationToken);
            }
            catch (NotAClockExportException exception)
            {
                return await FinishNotAnExportAsync(blob, importId, etag, exception.Reason, cancellationToken).ConfigureAwait(false);
            }

            using (export)
            {
                return await IngestAsync(blob, importId, etag, row.BatchesEnqueued, export, mapping, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IngestResult> IngestAsync(
        BlobClient blob, string importId, string etag, int alreadyEnqueued, OpenedExport export, IdMapping? mapping, CancellationToken cancellationToken)
    {
        var options = punchOptions.Value;
        var importer = new PunchImporter(options, time, mapping);
        var tally = new ImportTally(options.MaxRejectionsListed);
        var ledger = new ImportLedger(storage);
        using var sender = new BoundedSender(storage.Options.EnqueueParallelism);
        var pending = new List<Punch>(options.BatchSize);
        long alreadyImported = 0, newPunches = 0;
        var batchNo = 0;
        var checkpoint = alreadyEnqueued;
        string? unreadable = null;

        async Task EmitAsync()
        {
            batchNo++;
            var batch = pending.ToList();
            pending.Clear();
            if (batchNo <= alreadyEnqueued)
            {
                newPunches += batch.Count;
                return;
            }

            // Only punches unknown to the ledger need an entry; those this import already owns keep theirs.
            var unknown = new List<Punch>(batch.Count);
            foreach (var punch in batch)
            {
                if (await ledger.OwnerOfAsync(punch, cancellationToken).ConfigureAwait(false) is null)
                {
                    unknown.Add(punch);
                }
            }

            var lost = await ledger.ClaimAsync(importId, batchNo, unknown, cancellationToken).ConfigureAwait(false);
            if (lost.Count > 0)
            {
                var lostSet = lost.Select(punch => punch.Fingerprint).ToHashSet();
                batch.RemoveAll(punch => lostSet.Contains(punch.Fingerprint));
                alreadyImported += lost.Count;
            }

            newPunches += batch.Count;
            if (batch.Count == 0)
            {
                sender.MarkDone(batchNo);
                return;
            }

            var number = batchNo;
            var records = batch.Select(BatchRecord.From).ToList();
            await sender.StartAsync(number, ct => messenger.SendAsync(importId, number, records, ct), cancellationToken).ConfigureAwait(false);
            metrics.BatchesEnqueued.Add(1);
            if (number % CheckpointEvery == 0)
            {
                checkpoint = await CheckpointAsync(importId, checkpoint, sender.ContiguousDone(alreadyEnqueued), cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            foreach (var batch in importer.ReadBatches(export.Records, tally, cancellationToken))
            {
                foreach (var punch in batch.Punches)
                {
                    var owner = await ledger.OwnerOfAsync(punch, cancellationToken).ConfigureAwait(false);
                    if (owner is not null && !string.Equals(owner, importId, StringComparison.Ordinal))
                    {
                        alreadyImported++;
                        continue;
                    }

                    pending.Add(punch);
                    if (pending.Count == options.BatchSize)
                    {
                        await EmitAsync().ConfigureAwait(false);
                    }
                }
            }

            if (pending.Count > 0)
            {
                await EmitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or RequestFailedException))
        {
            // A corrupt file: keep what was read (its batches are valid punches), explain the rest in the report.
            unreadable = $"reading stopped after line {tally.Lines}: {exception.Message}";
            IngestLog.Unreadable(logger, importId, blob.Name, tally.Lines, exception.GetType().Name);
        }

        await sender.WhenAllAsync().ConfigureAwait(false);
        var summary = tally.ToSummary(export.FileName, ExportFormatNames.ToName(export.Format), export.Encoding, options.TimeZone);
        var report = new ImportReport(importId, $"{blob.BlobContainerName}/{blob.Name}", etag,
            unreadable is null ? ImportReport.Imported : ImportReport.Unreadable, unreadable, alreadyImported, newPunches, batchNo, summary);
        await WriteReportAsync(blob.Name, report, cancellationToken).ConfigureAwait(false);
        await imports.UpdateAsync(importId, row =>
        {
            row.State = unreadable is null ? ImportState.Enqueued : ImportState.Unreadable;
            row.Reason = unreadable;
            row.Lines = summary.Lines;
            row.Skipped = summary.Skipped;
            row.Accepted = summary.Punches;
            row.Rejected = summary.Rejected;
            row.Duplicates = summary.Duplicates;
            row.AlreadyImported = alreadyImported;
            row.NewPunches = newPunches;
            row.BatchesEnqueued = batchNo;
        }, cancellationToken).ConfigureAwait(false);

        metrics.PunchesRead.Add(summary.Lines);
        metrics.PunchesAccepted.Add(summary.Punches);
        metrics.PunchesRejected.Add(summary.Rejected);
        metrics.PunchesDuplicate.Add(summary.Duplicates);
        metrics.PunchesAlreadyImported.Add(alreadyImported);
        IngestLog.Ingested(logger, importId, blob.Name, summary.Lines, summary.Punches, summary.Rejected, summary.Duplicates, alreadyImported, batchNo);
        return new IngestResult(importId, batchNo - alreadyEnqueued, AlreadyIngested: false, NotAnExport: false);
    }

    private async Task<int> CheckpointAsync(string importId, int previous, int done, CancellationToken cancellationToken)
    {
        if (done <= previous)
        {
            return previous;
        }

        await imports.UpdateAsync(importId, row => row.BatchesEnqueued = Math.Max(row.BatchesEnqueued, done), cancellationToken).ConfigureAwait(false);
        return done;
    }

    private async Task<IngestResult> FinishNotAnExportAsync(BlobClient blob, string importId, string etag, string reason, CancellationToken cancellationToken)
    {
        var report = new ImportReport(importId, $"{blob.BlobContainerName}/{blob.Name}", etag, ImportReport.NotAnExport,
            $"{blob.Name} is not a clock export ClockSync can read: {reason}", 0, 0, 0, Summary: null);
        await WriteReportAsync(blob.Name, report, cancellationToken).ConfigureAwait(false);
        await imports.UpdateAsync(importId, row =>
        {
            row.State = ImportState.NotAnExport;
            row.Reason = reason;
        }, cancellationToken).ConfigureAwait(false);
        IngestLog.NotAnExport(logger, importId, blob.Name, reason);
        return new IngestResult(importId, 0, AlreadyIngested: false, NotAnExport: true);
    }

    private async Task WriteReportAsync(string blobName, ImportReport report, CancellationToken cancellationToken) =>
        await storage.Reports.GetBlobClient(blobName + ".json").UploadAsync(
            BinaryData.FromString(report.ToJson()),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" } },
            cancellationToken).ConfigureAwait(false);
}

internal static partial class IngestLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Import {ImportId} ({Blob}) is already {State}; nothing to do")]
    public static partial void AlreadyIngested(ILogger logger, string importId, string blob, string state);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Import {ImportId}: {Blob} is not a clock export: {Reason}")]
    public static partial void NotAnExport(ILogger logger, string importId, string blob, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Import {ImportId}: {Blob} became unreadable after line {Line} ({ErrorType}); see its report")]
    public static partial void Unreadable(ILogger logger, string importId, string blob, long line, string errorType);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Import {ImportId} ({Blob}): {Lines} lines, {Accepted} accepted, {Rejected} rejected, {Duplicates} duplicates, {AlreadyImported} already imported, {Batches} batches")]
    public static partial void Ingested(ILogger logger, string importId, string blob, long lines, long accepted, long rejected, long duplicates, long alreadyImported, int batches);
}
