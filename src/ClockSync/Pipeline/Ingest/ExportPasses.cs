using Azure;
using ClockSync.Exports;
using ClockSync.Punches;
using ClockSync.Storage.Ledger;

namespace ClockSync.Pipeline.Ingest;

/// <summary>How a read of the export ended.</summary>
internal enum PassEnd
{
    /// <summary>The whole file was read.</summary>
    Read,

    /// <summary>Reading stopped at a corrupt line (<see cref="ExportPasses.Unreadable"/>).</summary>
    Unreadable,

    /// <summary>The blob was overwritten or deleted (<see cref="ExportPasses.Changed"/>).</summary>
    Changed,

    /// <summary>The rows are out of time order; the rest is routed a span of days at a time.</summary>
    OutOfOrder,
}

/// <summary>
/// Reads the export and routes every accepted punch, at a ledger cost that does not depend on the rows' order. A file
/// in time order is read once. One whose day order would make the ledger's day cache re-read days again and again
/// (sorted by person, say: <see cref="DayOrderWatch"/>) is, from that record on, bucketed by UTC day: one pass finds
/// the days it touches, then one pass per span of at most the cache's days routes only that span's punches, so each
/// ledger day is read about once whatever the order, and memory stays flat (the blob is read again, pinned to the same
/// version). The spans and their order depend only on the file, so a resumed run numbers its batches the same.
/// </summary>
internal sealed class ExportPasses(
    IngestServices services,
    PinnedExport source,
    string importId,
    ImportTally tally,
    IdMapping? mapping,
    PunchRouter router,
    GroupCommitter committer)
{
    // Records read so far in the file, for messages and the switch point.
    private long _position;

    /// <summary>Why reading stopped early at a corrupt line (every pass stops at the same one), or null.</summary>
    public string? Unreadable { get; private set; }

    /// <summary>Why the version is gone (overwritten or deleted mid-read), or null.</summary>
    public string? Changed { get; private set; }

    private int CacheDays => services.Storage.Options.LedgerDaysCached;

    /// <summary>Routes the whole export: in file order while that is cheap, then a span of days at a time.</summary>
    public async Task<PassEnd> ReadAsync(OpenedExport export, CancellationToken cancellationToken)
    {
        var end = await ReadPassAsync(export.Records, skip: 0, filter: null, new DayOrderWatch(CacheDays), cancellationToken);
        return end == PassEnd.OutOfOrder ? await ReadByDayWindowsAsync(_position, cancellationToken) : end;
    }

    /// <summary>
    /// One pass over the export's records from <paramref name="skip"/> on: each accepted punch the filter takes is
    /// routed. With a <paramref name="watch"/>, the pass stops (at a batch boundary) once the file's day order would
    /// make the ledger re-read days again and again.
    /// </summary>
    private async Task<PassEnd> ReadPassAsync(IEnumerable<RawRecord> records, long skip, PunchFilter? filter, DayOrderWatch? watch, CancellationToken cancellationToken)
    {
        var importer = new PunchImporter(services.Options, services.Time, mapping, dedupeDays: CacheDays);
        using var batches = importer.ReadBatches(Positioned(records, skip), tally, filter, cancellationToken).GetEnumerator();
        while (true)
        {
            try
            {
                if (!batches.MoveNext())
                {
                    return Unreadable is null ? PassEnd.Read : PassEnd.Unreadable;
                }
            }
            catch (Exception exception) when (PinnedExport.Changed(exception))
            {
                // Overwritten or deleted mid-read: this version is over; its successor's run reads everything.
                Changed ??= PinnedExport.ChangedReason(_position);
                return PassEnd.Changed;
            }
            catch (Exception exception) when (exception is not (OperationCanceledException or RequestFailedException))
            {
                // A corrupt file: keep what was read (valid punches), explain the rest in the report. Every pass stops at the same line.
                if (Unreadable is null)
                {
                    Unreadable = $"reading stopped after line {_position}: {exception.Message}";
                    IngestLog.Unreadable(services.Logger, importId, source.Name, _position, exception.GetType().Name);
                }

                return PassEnd.Unreadable;
            }

            foreach (var punch in batches.Current.Punches)
            {
                watch?.See(LedgerDays.NumberOf(punch.CheckTime));
                await router.RouteAsync(punch, cancellationToken);
            }

            await committer.RenewIfDueAsync(cancellationToken);
            if (watch is { Thrashing: true })
            {
                return PassEnd.OutOfOrder;
            }
        }
    }

    /// <summary>Routes the rest of an export whose rows are not in time order, from record <paramref name="skip"/> on, a span of days at a time.</summary>
    private async Task<PassEnd> ReadByDayWindowsAsync(long skip, CancellationToken cancellationToken)
    {
        // What came before was routed in file order: commit it first, so a later copy of one of its punches finds it in the ledger.
        await committer.CommitOpenGroupAsync(cancellationToken);
        var days = new SortedSet<long>();
        var planned = await WithExportAsync(export => PlanDaysAsync(export.Records, skip, days, cancellationToken), cancellationToken);
        if (planned == PassEnd.Changed)
        {
            return planned;
        }

        var span = Math.Max(1, CacheDays - 2);
        List<(long From, long To)> windows = [.. days.Chunk(span).Select(chunk => (chunk[0], chunk[^1]))];
        if (windows.Count == 0)
        {
            // No punch left, but lines that are not punches still need counting once.
            windows.Add((long.MaxValue, long.MinValue));
        }

        IngestLog.ByDayWindows(services.Logger, importId, source.Name, skip, days.Count, windows.Count);
        var end = PassEnd.Read;
        for (var i = 0; i < windows.Count; i++)
        {
            var (from, to) = windows[i];
            var filter = new PunchFilter(punch => LedgerDays.NumberOf(punch.CheckTime) is var day && day >= from && day <= to, CountsOtherLines: i == 0);
            end = await WithExportAsync(export => ReadPassAsync(export.Records, skip, filter, watch: null, cancellationToken), cancellationToken);
            if (end == PassEnd.Changed)
            {
                return end;
            }

            // A group ends with its span and is claimed before the next span's days push this one's out of the cache.
            await committer.CommitOpenGroupAsync(cancellationToken);
        }

        return end;
    }

    /// <summary>The UTC days of the punches from record <paramref name="skip"/> on (a scratch tally: the passes after count for real).</summary>
    private async Task<PassEnd> PlanDaysAsync(IEnumerable<RawRecord> records, long skip, SortedSet<long> days, CancellationToken cancellationToken)
    {
        var importer = new PunchImporter(services.Options, services.Time, mapping, dedupeDays: CacheDays);
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
            catch (Exception exception) when (PinnedExport.Changed(exception))
            {
                Changed ??= PinnedExport.ChangedReason(_position);
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

            await committer.RenewIfDueAsync(cancellationToken);
        }
    }

    /// <summary>Opens the blob again, pinned to this version, for one more pass.</summary>
    private async Task<PassEnd> WithExportAsync(Func<OpenedExport, Task<PassEnd>> pass, CancellationToken cancellationToken)
    {
        Stream content;
        try
        {
            content = await source.OpenReadAsync(cancellationToken);
        }
        catch (Exception exception) when (PinnedExport.Changed(exception))
        {
            Changed ??= PinnedExport.ChangedReason(_position);
            return PassEnd.Changed;
        }

        await using (content)
        {
            OpenedExport export;
            try
            {
                export = ExportFileReader.Open(content, source.Name, ExportReadOptions.Default, cancellationToken);
            }
            catch (Exception exception) when (PinnedExport.Changed(exception))
            {
                Changed ??= PinnedExport.ChangedReason(_position);
                return PassEnd.Changed;
            }

            using (export)
            {
                return await pass(export);
            }
        }
    }

    /// <summary>The records from <paramref name="skip"/> on, keeping <see cref="_position"/> (records read so far in the file).</summary>
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
}
