using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ClockSync.Exports;
using ClockSync.Punches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Ledger;
using ClockSync.Storage.UnknownUsers;

namespace ClockSync.Pipeline;

/// <summary>
/// One run of one import (a blob version) by the run holding its lease: reads the export streaming, normalises,
/// drops what the ledger already holds, enqueues batches of at most 50 punches, records the import and writes its
/// report. Steps: <see cref="AdoptAsync"/> (take over the blob's earlier version), <see cref="RouteAsync"/> (one
/// punch), <see cref="CommitGroupAsync"/> (claim and commit a group, then send it), <see cref="FinishAsync"/>, or
/// <see cref="EndSupersededAsync"/> when the version is replaced mid-read.
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
/// <para><b>Ownership follows the queue.</b> A claim makes a punch this import's for as long as the import may still
/// send it. When a newer version of the blob arrives, its run adopts this import if it is unfinished
/// (<see cref="ImportStore.AdoptPreviousAsync"/>): batches up to the enqueued checkpoint are on the queue and stay
/// this import's; the claims on later ones are released, so the newer version claims and sends those punches itself
/// (a batch that had in fact been sent is then posted twice, and Feishu keeps one: same <c>idempotent_id</c>). A run
/// whose pinned read fails because the blob was overwritten or deleted (412/404) stops reading, sends the groups it
/// had committed, and releases the rest the same way.</para>
/// </remarks>
internal sealed class IngestRun
{
    /// <summary>
    /// The export is downloaded in chunks of this size as the reader needs them. Nothing is sent before the first group
    /// is read, and with the SDK's 4 MiB default a whole 100,000-punch export arrived before its first line could be.
    /// </summary>
    private const int ReadChunkBytes = 1 << 20;

    private readonly IngestServices _services;
    private readonly BlobClient _blob;
    private readonly BlobProperties _properties;
    private readonly string _importId;
    private readonly string _etag;
    private readonly string _runId;
    private readonly ImportTally _tally;
    private readonly int _committed;
    private readonly int _checkpoint;
    private readonly SortedDictionary<int, List<Punch>> _resumed = [];

    private ImportEntity _row;
    private ImportLedger? _ledger;
    private BatchEnqueuePump? _pump;
    private BatchGroup _group;
    private Task _committing = Task.CompletedTask;
    private DateTimeOffset _renewAt;
    private IdMapping? _mapping;
    private long _position;
    private string? _unreadable;
    private string? _changed;
    private long _alreadyImported;
    private long _newPunches;

    // Users Feishu refused before: their new punches will be held by the post handler, and the report says so.
    private IReadOnlySet<string> _refused = new HashSet<string>(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _heldByUser = new(StringComparer.Ordinal);
    private int _lastBatch;

    // Written only by the commit chain, read once it has finished.
    private long _lostToOthers;
    private long _committedPunches;

    public IngestRun(IngestServices services, BlobClient blob, BlobProperties properties, string importId, string runId, ImportEntity row)
    {
        _services = services;
        _blob = blob;
        _properties = properties;
        _importId = importId;
        _etag = properties.ETag.ToString();
        _runId = runId;
        _row = row;
        _tally = new ImportTally(services.Options.MaxRejectionsListed);
        _committed = row.BatchesClaimed;
        _checkpoint = row.BatchesEnqueued;
        _lastBatch = _committed;
        _group = new BatchGroup(_committed + 1, services.Options.BatchSize);
        _renewAt = services.Time.GetUtcNow() + IngestClockExportHandler.LeaseDuration / 4;
    }

    /// <summary>Batches this run handed to the queue.</summary>
    public int Sent => _pump?.Sent ?? 0;

    private string BlobPath => $"{_blob.BlobContainerName}/{_blob.Name}";

    public async Task<IngestResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!await AdoptAsync(cancellationToken).ConfigureAwait(false))
        {
            return await EndSupersededAsync("a newer version of the blob arrived before this run began", _checkpoint, cancellationToken).ConfigureAwait(false);
        }

        var released = await _services.Imports.ReleasedAsync(cancellationToken).ConfigureAwait(false);
        if (_properties.ContentLength == 0)
        {
            return await FinishNotAnExportAsync("the file is empty (0 bytes)", cancellationToken).ConfigureAwait(false);
        }

        _mapping = await _services.Mappings.LoadAsync(cancellationToken).ConfigureAwait(false);
        Stream content;
        try
        {
            content = await _blob.OpenReadAsync(ReadOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (BlobChanged(exception))
        {
            return await EndSupersededAsync(ChangedReason(0), _checkpoint, cancellationToken).ConfigureAwait(false);
        }

        await using (content.ConfigureAwait(false))
        {
            OpenedExport export;
            try
            {
                export = ExportFileReader.Open(content, _blob.Name, ExportReadOptions.Default, cancellationToken);
            }
            catch (NotAClockExportException exception)
            {
                return await FinishNotAnExportAsync(exception.Reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (BlobChanged(exception))
            {
                return await EndSupersededAsync(ChangedReason(0), _checkpoint, cancellationToken).ConfigureAwait(false);
            }

            using (export)
            {
                return await IngestAsync(export, released, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Makes this import the blob's current one, adopting the earlier version's import if it is unfinished (its unsent
    /// claims are released and this run claims them again). False when this version is itself no longer current.
    /// </summary>
    private async Task<bool> AdoptAsync(CancellationToken cancellationToken)
    {
        var adoption = await _services.Imports.AdoptPreviousAsync(BlobPath, _importId, IsCurrentVersionAsync, cancellationToken).ConfigureAwait(false);
        if (adoption is { Previous: { } previous, ReleasedAfter: { } releasedAfter })
        {
            IngestLog.Adopted(_services.Logger, _importId, _blob.Name, previous, releasedAfter);
        }

        return adoption is not null;
    }

    private async Task<bool> IsCurrentVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties current = await _blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return current.ETag == _properties.ETag;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    private async Task<IngestResult> IngestAsync(OpenedExport export, IReadOnlyDictionary<string, int> released, CancellationToken cancellationToken)
    {
        var storage = _services.Storage;
        _refused = await _services.UnknownUsers.UnknownIdsAsync(cancellationToken).ConfigureAwait(false);
        _ledger = new ImportLedger(storage, _importId, _committed, released)
        {
            Identity = PunchIdentity.For(_services.Options),
        };
        var pump = new BatchEnqueuePump(storage.Options.EnqueueParallelism, _checkpoint, (batchNo, punches, ct) =>
            _services.Messenger.SendAsync(_importId, batchNo, punches, ct), cancellationToken);
        await using (pump.ConfigureAwait(false))
        {
            _pump = pump;
            PassEnd end;
            try
            {
                end = await ReadPassAsync(export.Records, skip: 0, filter: null, new DayOrderWatch(storage.Options.LedgerDaysCached), cancellationToken)
                    .ConfigureAwait(false);
                if (end == PassEnd.OutOfOrder)
                {
                    end = await ReadByDayWindowsAsync(_position, cancellationToken).ConfigureAwait(false);
                }

                if (end != PassEnd.Changed && !_group.IsEmpty)
                {
                    await StartCommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception) when (!_committing.IsCompleted)
            {
                // Let the group in flight finish (or fail) before the pump goes away; the reader's failure is the one to report.
                await Task.WhenAny(_committing).ConfigureAwait(false);
                throw;
            }

            await _committing.ConfigureAwait(false);
            if (end == PassEnd.Changed)
            {
                // Send what committed groups handed over, so that only what never reached the queue is released.
                await pump.CompleteAsync().ConfigureAwait(false);
                return await EndSupersededAsync(_changed!, pump.ContiguousDone(), cancellationToken).ConfigureAwait(false);
            }

            _alreadyImported += _lostToOthers;
            _newPunches += _committedPunches;
            foreach (var (batchNo, punches) in _resumed)
            {
                await pump.EnqueueAsync(batchNo, punches, cancellationToken).ConfigureAwait(false);
                _services.Metrics.BatchesEnqueued.Add(1);
            }

            await pump.CompleteAsync().ConfigureAwait(false);
        }

        return await FinishAsync(export, _unreadable, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One pass over the export's records from <paramref name="skip"/> on: each accepted punch the filter takes is
    /// routed. With a <paramref name="watch"/>, the pass stops (at a batch boundary) once the file's day order would
    /// make the ledger re-read days again and again.
    /// </summary>
    private async Task<PassEnd> ReadPassAsync(IEnumerable<RawRecord> records, long skip, PunchFilter? filter, DayOrderWatch? watch, CancellationToken cancellationToken)
    {
        var importer = new PunchImporter(_services.Options, _services.Time, _mapping, dedupeDays: _services.Storage.Options.LedgerDaysCached);
        using var batches = importer.ReadBatches(Positioned(records, skip), _tally, filter, cancellationToken).GetEnumerator();
        while (true)
        {
            try
            {
                if (!batches.MoveNext())
                {
                    return _unreadable is null ? PassEnd.Read : PassEnd.Unreadable;
                }
            }
            catch (Exception exception) when (BlobChanged(exception))
            {
                // Overwritten or deleted mid-read: this version is over; its successor's run reads everything.
                _changed ??= ChangedReason(_position);
                return PassEnd.Changed;
            }
            catch (Exception exception) when (exception is not (OperationCanceledException or RequestFailedException))
            {
                // A corrupt file: keep what was read (valid punches), explain the rest in the report. Every pass stops at the same line.
                if (_unreadable is null)
                {
                    _unreadable = $"reading stopped after line {_position}: {exception.Message}";
                    IngestLog.Unreadable(_services.Logger, _importId, _blob.Name, _position, exception.GetType().Name);
                }

                return PassEnd.Unreadable;
            }

            foreach (var punch in batches.Current.Punches)
            {
                watch?.See(LedgerDays.NumberOf(punch.CheckTime));
                await RouteAsync(punch, cancellationToken).ConfigureAwait(false);
            }

            await RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
            if (watch is { Thrashing: true })
            {
                return PassEnd.OutOfOrder;
            }
        }
    }

    /// <summary>
    /// Routes the rest of an export whose rows are not in time order (sorted by person, say), from record
    /// <paramref name="skip"/> on, a span of days at a time: one pass finds the days it touches, then one pass per span
    /// of at most the ledger's cached days routes only that span's punches, so each ledger day is read about once
    /// whatever the order, and memory stays flat (the blob is read again, pinned to the same version). The spans and
    /// their order depend only on the file, so a resumed run numbers its batches the same.
    /// </summary>
    private async Task<PassEnd> ReadByDayWindowsAsync(long skip, CancellationToken cancellationToken)
    {
        // What came before was routed in file order: commit it first, so a later copy of one of its punches finds it in the ledger.
        if (!_group.IsEmpty)
        {
            await StartCommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _committing.ConfigureAwait(false);
        var days = new SortedSet<long>();
        var planned = await WithExportAsync(export => PlanDaysAsync(export.Records, skip, days, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (planned == PassEnd.Changed)
        {
            return planned;
        }

        var span = Math.Max(1, _services.Storage.Options.LedgerDaysCached - 2);
        List<(long From, long To)> windows = [.. days.Chunk(span).Select(chunk => (chunk[0], chunk[^1]))];
        if (windows.Count == 0)
        {
            // No punch left, but lines that are not punches still need counting once.
            windows.Add((long.MaxValue, long.MinValue));
        }

        IngestLog.ByDayWindows(_services.Logger, _importId, _blob.Name, skip, days.Count, windows.Count);
        var end = PassEnd.Read;
        for (var i = 0; i < windows.Count; i++)
        {
            var (from, to) = windows[i];
            var filter = new PunchFilter(punch => LedgerDays.NumberOf(punch.CheckTime) is var day && day >= from && day <= to, CountsOtherLines: i == 0);
            end = await WithExportAsync(export => ReadPassAsync(export.Records, skip, filter, watch: null, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (end == PassEnd.Changed)
            {
                return end;
            }

            // A group ends with its span and is claimed before the next span's days push this one's out of the cache.
            if (!_group.IsEmpty)
            {
                await StartCommitAsync(cancellationToken).ConfigureAwait(false);
            }

            await _committing.ConfigureAwait(false);
        }

        return end;
    }

    /// <summary>The UTC days of the punches from record <paramref name="skip"/> on (a scratch tally: the passes after count for real).</summary>
    private async Task<PassEnd> PlanDaysAsync(IEnumerable<RawRecord> records, long skip, SortedSet<long> days, CancellationToken cancellationToken)
    {
        var importer = new PunchImporter(_services.Options, _services.Time, _mapping, dedupeDays: _services.Storage.Options.LedgerDaysCached);
        using var batches = importer.ReadBatches(Positioned(records, skip), new ImportTally(maxRejectionsListed: 0), cancellationToken).GetEnumerator();
        while (true)
        {
            try
            {
                if (!batches.MoveNext())
                {
                    return PassEnd.Read;
                }
            }
            catch (Exception exception) when (BlobChanged(exception))
            {
                _changed ??= ChangedReason(_position);
                return PassEnd.Changed;
            }
            catch (Exception exception) when (exception is not (OperationCanceledException or RequestFailedException))
            {
                // Corrupt from here on: the routing passes stop at the same line and report it.
                return PassEnd.Read;
            }

            foreach (var punch in batches.Current.Punches)
            {
                days.Add(LedgerDays.NumberOf(punch.CheckTime));
            }

            await RenewIfDueAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the blob again, pinned to this version, for one more pass.</summary>
    private async Task<PassEnd> WithExportAsync(Func<OpenedExport, Task<PassEnd>> pass, CancellationToken cancellationToken)
    {
        Stream content;
        try
        {
            content = await _blob.OpenReadAsync(ReadOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (BlobChanged(exception))
        {
            _changed ??= ChangedReason(_position);
            return PassEnd.Changed;
        }

        await using (content.ConfigureAwait(false))
        {
            OpenedExport export;
            try
            {
                export = ExportFileReader.Open(content, _blob.Name, ExportReadOptions.Default, cancellationToken);
            }
            catch (Exception exception) when (BlobChanged(exception))
            {
                _changed ??= ChangedReason(_position);
                return PassEnd.Changed;
            }

            using (export)
            {
                return await pass(export).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The records from <paramref name="skip"/> on, keeping <see cref="_position"/> (records read so far in the file) for messages and the switch point.</summary>
    private IEnumerable<RawRecord> Positioned(IEnumerable<RawRecord> records, long skip)
    {
        _position = 0;
        foreach (var record in records)
        {
            _position++;
            if (_position > skip)
            {
                yield return record;
            }
        }
    }

    /// <summary>Routes one accepted punch: already another import's, rebuilt into a batch of an earlier run, or new (into the group).</summary>
    private async Task RouteAsync(Punch punch, CancellationToken cancellationToken)
    {
        switch (await _ledger!.OwnerOfAsync(punch, cancellationToken).ConfigureAwait(false))
        {
            case { } owner when !string.Equals(owner.ImportId, _importId, StringComparison.Ordinal):
                _alreadyImported++;
                _tally.CountMatch(owner.Match);
                break;

            case { Match: not PunchMatch.MinutePrecision } owner when owner.BatchNo <= _committed:
                // Committed by an earlier run of this import: its batch is rebuilt and sent again unless the
                // checkpoint says it was enqueued (posting ignores a batch already recorded).
                var members = owner.BatchNo > _checkpoint
                    ? _resumed.TryGetValue(owner.BatchNo, out var list) ? list : _resumed[owner.BatchNo] = []
                    : null;
                if (members is not null && members.Exists(member => member.Fingerprint == punch.Fingerprint))
                {
                    _tally.RecountAsDuplicate();
                    break;
                }

                members?.Add(punch);
                _newPunches++;
                break;

            case { }:
                // Claimed by this run already: a copy from a day the importer's dedupe window had dropped.
                _tally.RecountAsDuplicate();
                break;

            default:
                if (!_group.Add(punch))
                {
                    _tally.RecountAsDuplicate();
                    break;
                }

                if (_refused.Count > 0 && _refused.Contains(punch.UserId))
                {
                    _heldByUser[punch.UserId] = _heldByUser.GetValueOrDefault(punch.UserId) + 1;
                }

                if (_group.IsFull)
                {
                    await StartCommitAsync(cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>Hands the full group to the commit chain and opens the next one.</summary>
    private async Task StartCommitAsync(CancellationToken cancellationToken)
    {
        // At most one group in flight behind the one being read: memory stays at two groups.
        await _committing.ConfigureAwait(false);
        var claimed = _group;
        _group = _group.Next();
        _committing = CommitGroupAsync(claimed, cancellationToken);
    }

    /// <summary>
    /// Claim, then commit, then send: a batch is only ever sent once its group is in the ledger and the import row
    /// says so, so a resumed run rebuilds exactly the batches an earlier run may have sent. Groups commit one after
    /// another, in order (<see cref="StartCommitAsync"/> waits for the previous one), while the reader goes on. The
    /// commit also renews the lease, and refuses once this run no longer holds the import.
    /// </summary>
    private async Task CommitGroupAsync(BatchGroup claimed, CancellationToken cancellationToken)
    {
        var lost = await _ledger!.ClaimAsync(claimed.FirstBatch, claimed.Claims(), cancellationToken).ConfigureAwait(false);
        claimed.Remove([.. lost]);
        _lostToOthers += lost.Count;
        var done = _pump!.ContiguousDone();
        var last = claimed.LastBatch;
        await UpdateRowAsync(entity =>
        {
            entity.BatchesClaimed = Math.Max(entity.BatchesClaimed, last);
            entity.BatchesEnqueued = Math.Max(entity.BatchesEnqueued, done);
        }, cancellationToken).ConfigureAwait(false);
        _lastBatch = last;
        foreach (var (batchNo, punches) in claimed.Batches)
        {
            _committedPunches += punches.Count;
            if (punches.Count == 0)
            {
                _pump.MarkDone(batchNo);
            }
            else
            {
                await _pump.EnqueueAsync(batchNo, punches, cancellationToken).ConfigureAwait(false);
                _services.Metrics.BatchesEnqueued.Add(1);
            }
        }
    }

    /// <summary>
    /// Renews the lease when a quarter of it has passed without a commit (a file of punches mostly imported before
    /// commits rarely). Runs on the commit chain, so it never races a commit for the row.
    /// </summary>
    private async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        if (_services.Time.GetUtcNow() < _renewAt)
        {
            return;
        }

        await _committing.ConfigureAwait(false);
        var done = _pump!.ContiguousDone();
        _committing = UpdateRowAsync(entity => entity.BatchesEnqueued = Math.Max(entity.BatchesEnqueued, done), cancellationToken);
    }

    private async Task UpdateRowAsync(Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        _row = await _services.Imports.UpdateRunAsync(_row, _runId, IngestClockExportHandler.LeaseDuration, change, cancellationToken).ConfigureAwait(false);
        _renewAt = _services.Time.GetUtcNow() + IngestClockExportHandler.LeaseDuration / 4;
    }

    private async Task<IngestResult> FinishAsync(OpenedExport export, string? unreadable, CancellationToken cancellationToken)
    {
        var options = _services.Options;
        var summary = _tally.ToSummary(export.FileName, ExportFormatNames.ToName(export.Format), export.Encoding, options.TimeZone);
        var report = new ImportReport(_importId, BlobPath, _etag,
            unreadable is null ? ImportReport.Imported : ImportReport.Unreadable, unreadable, _alreadyImported, _newPunches, _lastBatch, summary)
        {
            UnknownUsers = _heldByUser.Count == 0 ? null
                : _heldByUser.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new UnknownUserPunches(pair.Key, pair.Value)).ToList(),
        };
        await _services.Reports.WriteAsync(_blob.Name, report.ToJson(), cancellationToken).ConfigureAwait(false);
        var lastBatch = _lastBatch;
        var (alreadyImported, newPunches) = (_alreadyImported, _newPunches);
        await UpdateRowAsync(entity =>
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
            entity.RunId = null;
            entity.LeaseUntilUtc = null;
        }, cancellationToken).ConfigureAwait(false);

        var metrics = _services.Metrics;
        metrics.PunchesRead.Add(summary.Lines);
        metrics.PunchesAccepted.Add(summary.Punches);
        metrics.PunchesRejected.Add(summary.Rejected);
        metrics.PunchesDuplicate.Add(summary.Duplicates);
        metrics.PunchesAlreadyImported.Add(alreadyImported);
        IngestLog.Ingested(_services.Logger, _importId, _blob.Name, summary.Lines, summary.Punches, summary.Rejected, summary.Duplicates, alreadyImported, lastBatch);
        await _services.Settled.AfterIngestAsync(_importId, cancellationToken).ConfigureAwait(false);
        return new IngestResult(_importId, Sent, AlreadyIngested: false, NotAnExport: false);
    }

    private async Task<IngestResult> FinishNotAnExportAsync(string reason, CancellationToken cancellationToken)
    {
        var report = new ImportReport(_importId, BlobPath, _etag, ImportReport.NotAnExport,
            $"{_blob.Name} is not a clock export ClockSync can read: {reason}", 0, 0, 0, Summary: null);
        await _services.Reports.WriteAsync(_blob.Name, report.ToJson(), cancellationToken).ConfigureAwait(false);
        await UpdateRowAsync(row =>
        {
            row.State = ImportState.NotAnExport;
            row.Reason = reason;
            row.RunId = null;
            row.LeaseUntilUtc = null;
        }, cancellationToken).ConfigureAwait(false);
        IngestLog.NotAnExport(_services.Logger, _importId, _blob.Name, reason);
        await _services.Settled.AfterIngestAsync(_importId, cancellationToken).ConfigureAwait(false);
        return new IngestResult(_importId, 0, AlreadyIngested: false, NotAnExport: true);
    }

    /// <summary>
    /// Ends a run whose version was replaced or deleted: batches 1..<paramref name="releasedAfter"/> are on the queue,
    /// the rest of its claims are released for the newer version's run. No report: the blob name's report is the
    /// newer version's to write.
    /// </summary>
    private async Task<IngestResult> EndSupersededAsync(string reason, int releasedAfter, CancellationToken cancellationToken)
    {
        await _services.Imports.EndSupersededAsync(_row, _runId, releasedAfter, reason, cancellationToken).ConfigureAwait(false);
        IngestLog.Superseded(_services.Logger, _importId, _blob.Name, reason, releasedAfter);
        return new IngestResult(_importId, Sent, AlreadyIngested: false, NotAnExport: false, Superseded: true);
    }

    private BlobOpenReadOptions ReadOptions() =>
        new(allowModifications: false) { BufferSize = ReadChunkBytes, Conditions = new BlobRequestConditions { IfMatch = _properties.ETag } };

    private static string ChangedReason(long lines) =>
        lines == 0
            ? "the blob was overwritten or deleted before it could be read"
            : $"the blob was overwritten or deleted while it was read (after line {lines})";

    private enum PassEnd
    {
        /// <summary>The whole file was read.</summary>
        Read,

        /// <summary>Reading stopped at a corrupt line (<see cref="_unreadable"/>).</summary>
        Unreadable,

        /// <summary>The blob was overwritten or deleted (<see cref="_changed"/>).</summary>
        Changed,

        /// <summary>The rows are out of time order; the rest is routed a span of days at a time.</summary>
        OutOfOrder,
    }

    /// <summary>The pinned read failed because the version is gone (412: overwritten, 404: deleted), however the reader wrapped it.</summary>
    private static bool BlobChanged(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RequestFailedException { Status: 412 or 404 })
            {
                return true;
            }
        }

        return false;
    }
}
