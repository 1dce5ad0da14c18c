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
/// <para><b>Fast.</b> New punches are numbered into batches in file order and claimed in the ledger a group of
/// batches at a time (4 at first, doubling up to 60; one packed row per day, <see cref="ImportLedger"/>); sends run
/// behind a bounded buffer (<see cref="BatchEnqueuePump"/>), so the queue's latency and not the ledger sets the pace.</para>
/// <para><b>Re-runnable.</b> The import id hashes the blob's name and ETag, and the whole read is pinned to that ETag.
/// A group is claimed, then committed in the Imports row (<c>BatchesClaimed</c>), and only then sent. A redelivery of
/// the same version after a crash reads the file again: a punch in a committed group goes back into the batch the
/// ledger recorded for it, so every batch that may have been sent is rebuilt identically; batches at or below the
/// <c>BatchesEnqueued</c> checkpoint (advanced at each commit) are not sent again, the others are, and posting ignores
/// a batch whose marker exists. Punches of a group claimed but not committed are numbered afresh from
/// <c>BatchesClaimed</c> + 1 (none of that group was sent).</para>
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
    ImportSettledNotifier settled,
    ILogger<IngestClockExportHandler> logger)
{
    /// <summary>
    /// The export is downloaded in chunks of this size as the reader needs them. Nothing is sent before the first group
    /// is read, and with the SDK's 4 MiB default a whole 100,000-punch export arrived before its first line could be.
    /// </summary>
    private const int ReadChunkBytes = 1 << 20;

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
            new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadChunkBytes, Conditions = new BlobRequestConditions { IfMatch = properties.ETag } },
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
                return await IngestAsync(blob, importId, etag, row, export, mapping, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IngestResult> IngestAsync(
        BlobClient blob, string importId, string etag, ImportEntity row, OpenedExport export, IdMapping? mapping, CancellationToken cancellationToken)
    {
        var options = punchOptions.Value;
        // The importer's in-file dedupe holds the same days as the ledger, so memory stays flat for any file size; a copy
        // it lets through (its day was dropped) is caught below, by the group or by the ledger.
        var importer = new PunchImporter(options, time, mapping, dedupeDays: storage.Options.LedgerDaysCached);
        var tally = new ImportTally(options.MaxRejectionsListed);
        var committed = row.BatchesClaimed;
        var checkpoint = row.BatchesEnqueued;
        var ledger = new ImportLedger(storage, importId, committed);
        var resumed = new SortedDictionary<int, List<Punch>>();
        var group = new BatchGroup(committed + 1, options.BatchSize);
        long alreadyImported = 0, newPunches = 0;
        var lastBatch = committed;
        string? unreadable = null;

        var pump = new BatchEnqueuePump(storage.Options.EnqueueParallelism, checkpoint, (batchNo, punches, ct) =>
            messenger.SendAsync(importId, batchNo, punches, ct), cancellationToken);
        await using (pump.ConfigureAwait(false))
        {
            // Written only by the commit chain, read once it has finished.
            long lostToOthers = 0, committedPunches = 0;
            var committing = Task.CompletedTask;

            async Task CommitAsync(BatchGroup claimed)
            {
                // Claim, then commit, then send: a batch is only ever sent once its group is in the ledger and the import
                // row says so, so a resumed run rebuilds exactly the batches an earlier run may have sent. Groups commit
                // one after another, in order (StartCommitAsync waits for the previous one), while the reader goes on.
                var lost = await ledger.ClaimAsync(claimed.FirstBatch, claimed.Claims(), cancellationToken).ConfigureAwait(false);
                claimed.Remove([.. lost]);
                lostToOthers += lost.Count;
                var done = pump.ContiguousDone();
                var last = claimed.LastBatch;
                row = await imports.UpdateAsync(row, entity =>
                {
                    entity.BatchesClaimed = Math.Max(entity.BatchesClaimed, last);
                    entity.BatchesEnqueued = Math.Max(entity.BatchesEnqueued, done);
                }, cancellationToken).ConfigureAwait(false);
                lastBatch = last;
                foreach (var (batchNo, punches) in claimed.Batches)
                {
                    committedPunches += punches.Count;
                    if (punches.Count == 0)
                    {
                        pump.MarkDone(batchNo);
                    }
                    else
                    {
                        await pump.EnqueueAsync(batchNo, punches, cancellationToken).ConfigureAwait(false);
                        metrics.BatchesEnqueued.Add(1);
                    }
                }
            }

            async Task StartCommitAsync()
            {
                // At most one group in flight behind the one being read: memory stays at two groups.
                await committing.ConfigureAwait(false);
                var claimed = group;
                group = group.Next();
                committing = CommitAsync(claimed);
            }

            try
            {
                using (var batches = importer.ReadBatches(export.Records, tally, cancellationToken).GetEnumerator())
                {
                    while (true)
                    {
                        try
                        {
                            if (!batches.MoveNext())
                            {
                                break;
                            }
                        }
                        catch (Exception exception) when (exception is not (OperationCanceledException or RequestFailedException))
                        {
                            // A corrupt file: keep what was read (valid punches), explain the rest in the report.
                            unreadable = $"reading stopped after line {tally.Lines}: {exception.Message}";
                            IngestLog.Unreadable(logger, importId, blob.Name, tally.Lines, exception.GetType().Name);
                            break;
                        }

                        foreach (var punch in batches.Current.Punches)
                        {
                            switch (await ledger.OwnerOfAsync(punch, cancellationToken).ConfigureAwait(false))
                            {
                                case { } owner when !string.Equals(owner.ImportId, importId, StringComparison.Ordinal):
                                    alreadyImported++;
                                    break;

                                case { } owner when owner.BatchNo <= committed:
                                    // Committed by an earlier run of this import: its batch is rebuilt and sent again unless the
                                    // checkpoint says it was enqueued (posting ignores a batch already recorded).
                                    var members = owner.BatchNo > checkpoint
                                        ? resumed.TryGetValue(owner.BatchNo, out var list) ? list : resumed[owner.BatchNo] = []
                                        : null;
                                    if (members is not null && members.Exists(member => member.Fingerprint == punch.Fingerprint))
                                    {
                                        tally.RecountAsDuplicate();
                                        break;
                                    }

                                    members?.Add(punch);
                                    newPunches++;
                                    break;

                                case { }:
                                    // Claimed by this run already: a copy from a day the importer's dedupe window had dropped.
                                    tally.RecountAsDuplicate();
                                    break;

                                default:
                                    if (!group.Add(punch))
                                    {
                                        tally.RecountAsDuplicate();
                                        break;
                                    }

                                    if (group.IsFull)
                                    {
                                        await StartCommitAsync().ConfigureAwait(false);
                                    }

                                    break;
                            }
                        }
                    }
                }

                if (!group.IsEmpty)
                {
                    await StartCommitAsync().ConfigureAwait(false);
                }
            }
            catch (Exception) when (!committing.IsCompleted)
            {
                // Let the group in flight finish (or fail) before the pump goes away; the reader's failure is the one to report.
                await Task.WhenAny(committing).ConfigureAwait(false);
                throw;
            }

            await committing.ConfigureAwait(false);
            alreadyImported += lostToOthers;
            newPunches += committedPunches;

            foreach (var (batchNo, punches) in resumed)
            {
                await pump.EnqueueAsync(batchNo, punches, cancellationToken).ConfigureAwait(false);
                metrics.BatchesEnqueued.Add(1);
            }

            await pump.CompleteAsync().ConfigureAwait(false);
        }

        var summary = tally.ToSummary(export.FileName, ExportFormatNames.ToName(export.Format), export.Encoding, options.TimeZone);
        var report = new ImportReport(importId, $"{blob.BlobContainerName}/{blob.Name}", etag,
            unreadable is null ? ImportReport.Imported : ImportReport.Unreadable, unreadable, alreadyImported, newPunches, lastBatch, summary);
        await WriteReportAsync(blob.Name, report, cancellationToken).ConfigureAwait(false);
        await imports.UpdateAsync(row, entity =>
        {
            entity.State = unreadable is null ? ImportState.Enqueued : ImportState.Unreadable;
            entity.Reason = unreadable;
            entity.Lines = summary.Lines;
            entity.Skipped = summary.Skipped;
            entity.Accepted = summary.Punches;
            entity.Rejected = summary.Rejected;
            entity.Duplicates = summary.Duplicates;
            entity.AlreadyImported = alreadyImported;
            entity.NewPunches = newPunches;
            entity.BatchesClaimed = lastBatch;
            entity.BatchesEnqueued = lastBatch;
        }, cancellationToken).ConfigureAwait(false);

        metrics.PunchesRead.Add(summary.Lines);
        metrics.PunchesAccepted.Add(summary.Punches);
        metrics.PunchesRejected.Add(summary.Rejected);
        metrics.PunchesDuplicate.Add(summary.Duplicates);
        metrics.PunchesAlreadyImported.Add(alreadyImported);
        IngestLog.Ingested(logger, importId, blob.Name, summary.Lines, summary.Punches, summary.Rejected, summary.Duplicates, alreadyImported, lastBatch);
        await settled.AfterIngestAsync(importId, cancellationToken).ConfigureAwait(false);
        return new IngestResult(importId, pump.Sent, AlreadyIngested: false, NotAnExport: false);
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
        await settled.AfterIngestAsync(importId, cancellationToken).ConfigureAwait(false);
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
