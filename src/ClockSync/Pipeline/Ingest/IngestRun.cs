using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ClockSync.Exports;
using ClockSync.Punches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Ledger;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// One run of one import (a blob version) by the run holding its lease: reads the export streaming, normalises,
/// drops what the ledger already holds, enqueues batches of at most 50 punches, records the import and writes its
/// report. Its steps, each a class of its own: <see cref="VersionAdoption"/> (take over the blob's earlier version),
/// <see cref="ExportPasses"/> (read the file, bucketed by day when its order would make the ledger thrash),
/// <see cref="PunchRouter"/> (one punch), <see cref="GroupCommitter"/> (claim and commit a group, then send it), and
/// <see cref="IngestFinish"/> (report and row; or end cleanly when the version is replaced mid-read).
/// </summary>
/// <remarks>
/// <para><b>Fast.</b> New punches are numbered into batches in file order and claimed in the ledger a group of
/// batches at a time (4 at first, doubling up to 60; one packed row per day, <see cref="ImportLedger"/>); sends run
/// behind a bounded buffer (<see cref="BatchEnqueuePump"/>), so the queue's latency and not the ledger sets the pace.</para>
/// <para><b>Re-runnable.</b> The import id hashes the blob's name and ETag, and the whole read is pinned to that ETag
/// (<see cref="PinnedExport"/>). A group is claimed, then committed in the Imports row, and only then sent, so a
/// redelivery after a crash rebuilds every batch that may have been sent (<see cref="PunchRouter"/>).</para>
/// <para><b>Ownership follows the queue.</b> A claim makes a punch this import's for as long as the import may still
/// send it. A newer version's run adopts this import if it is unfinished (<see cref="VersionAdoption"/>). A run whose
/// pinned read fails because the blob was overwritten or deleted (412/404) stops reading, sends the groups it had
/// committed, and releases the rest the same way.</para>
/// </remarks>
internal sealed class IngestRun
{
    private readonly IngestServices _services;
    private readonly PinnedExport _source;
    private readonly string _importId;
    private readonly RunLease _lease;
    private readonly IngestFinish _finish;
    private readonly int _committed;
    private readonly int _checkpoint;
    private BatchEnqueuePump? _pump;

    public IngestRun(IngestServices services, BlobClient blob, BlobProperties properties, string importId, string runId, ImportEntity row)
    {
        _services = services;
        _source = new PinnedExport(blob, properties);
        _importId = importId;
        _lease = new RunLease(services, runId, row);
        _finish = new IngestFinish(services, _source, importId, _lease);
        _committed = row.BatchesClaimed;
        _checkpoint = row.BatchesEnqueued;
    }

    /// <summary>Batches this run handed to the queue.</summary>
    public int Sent => _pump?.Sent ?? 0;

    public async Task<IngestResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!await VersionAdoption.AdoptAsync(_services, _source, _importId, cancellationToken))
        {
            return await _finish.SupersededAsync("a newer version of the blob arrived before this run began", _checkpoint, Sent, cancellationToken);
        }

        var released = await _services.Imports.ReleasedAsync(cancellationToken);
        if (_source.Properties.ContentLength == 0)
        {
            return await _finish.NotAnExportAsync("the file is empty (0 bytes)", cancellationToken);
        }

        var mapping = await _services.Mappings.LoadAsync(cancellationToken);
        Stream content;
        try
        {
            content = await _source.OpenReadAsync(cancellationToken);
        }
        catch (Exception exception) when (PinnedExport.Changed(exception))
        {
            return await _finish.SupersededAsync(PinnedExport.ChangedReason(0), _checkpoint, Sent, cancellationToken);
        }

        await using (content)
        {
            OpenedExport export;
            try
            {
                export = ExportFileReader.Open(content, _source.Name, ExportReadOptions.Default, cancellationToken);
            }
            catch (NotAClockExportException exception)
            {
                return await _finish.NotAnExportAsync(exception.Reason, cancellationToken);
            }
            catch (Exception exception) when (PinnedExport.Changed(exception))
            {
                return await _finish.SupersededAsync(PinnedExport.ChangedReason(0), _checkpoint, Sent, cancellationToken);
            }

            using (export)
            {
                return await IngestAsync(export, mapping, released, cancellationToken);
            }
        }
    }

    private async Task<IngestResult> IngestAsync(OpenedExport export, IdMapping? mapping, IReadOnlyDictionary<string, int> released, CancellationToken cancellationToken)
    {
        var storage = _services.Storage;
        var refused = await _services.UnknownUsers.UnknownIdsAsync(cancellationToken);
        var ledger = new ImportLedger(storage, _importId, _committed, released)
        {
            Identity = PunchIdentity.For(_services.Options),
        };
        var pump = new BatchEnqueuePump(storage.Options.EnqueueParallelism, _checkpoint, (batchNo, punches, ct) =>
            _services.Messenger.SendAsync(_importId, batchNo, punches, ct), cancellationToken);
        ReadOutcome outcome;
        await using (pump)
        {
            _pump = pump;
            var tally = new ImportTally(_services.Options.MaxRejectionsListed);
            var committer = new GroupCommitter(_services, ledger, pump, _lease, _committed);
            var router = new PunchRouter(ledger, _importId, _committed, _checkpoint, tally, refused, committer);
            var passes = new ExportPasses(_services, _source, _importId, tally, mapping, router, committer);
            PassEnd end;
            try
            {
                end = await passes.ReadAsync(export, cancellationToken);
                if (end != PassEnd.Changed && !committer.Group.IsEmpty)
                {
                    await committer.StartCommitAsync(cancellationToken);
                }
            }
            catch (Exception) when (!committer.InFlight.IsCompleted)
            {
                // Let the group in flight finish (or fail) before the pump goes away; the reader's failure is the one to report.
                await Task.WhenAny(committer.InFlight);
                throw;
            }

            await committer.InFlight;
            if (end == PassEnd.Changed)
            {
                // Send what committed groups handed over, so that only what never reached the queue is released.
                await pump.CompleteAsync();
                return await _finish.SupersededAsync(passes.Changed!, pump.ContiguousDone(), Sent, cancellationToken);
            }

            foreach (var (batchNo, punches) in router.ResumedBatches)
            {
                await pump.EnqueueAsync(batchNo, punches, cancellationToken);
                _services.Metrics.BatchesEnqueued.Add(1);
            }

            await pump.CompleteAsync();
            outcome = new ReadOutcome(export, tally, passes.Unreadable,
                AlreadyImported: router.AlreadyImported + committer.LostToOthers,
                NewPunches: router.Resumed + committer.CommittedPunches,
                committer.LastBatch, router.HeldByUser, Sent);
        }

        return await _finish.ReadAsync(outcome, cancellationToken);
    }
}
