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
/// Reads the export and routes every accepted punch, at a ledger cost that does not depend on the rows' order. Before
/// any punch is routed, the first <see cref="LayoutPeekRecords"/> records are looked at (a scratch read, nothing
/// claimed): if their day order would make the ledger's day cache re-read days again and again (sorted by person, say:
/// <see cref="DayOrderWatch"/>), the whole file is bucketed by UTC day; otherwise it is read in file order, still
/// watched, and bucketed from the record where the order starts to thrash. Bucketed: one pass finds the days (and
/// punches per day) it touches, then one pass per span of days gathers only that span's punches and routes them day by
/// day, so each ledger day is read about once and claimed about once whatever the order. A span holds at most the
/// cache's days less two and at most <see cref="MaxPassPunches"/> punches (a single day of more is a span of its own),
/// so memory stays flat whatever the file's size (the blob is read again, pinned to the same version). The spans and
/// their order depend only on the file, so a resumed run numbers its batches the same.
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
    /// <summary>
    /// Records looked at before anything is routed to decide the layout: enough to see a person-sorted export go back to
    /// its first days (one person's year is 730 records at two punches a day) for well past the cache's days; a scratch
    /// read of this many records costs a time-ordered file next to nothing.
    /// </summary>
    public const int LayoutPeekRecords = 20_000;

    /// <summary>Punches one bucketed pass gathers before routing them day by day: the bound of the ingest's memory for an export not in time order.</summary>
    public const int MaxPassPunches = 100_000;

    // Records read so far in the file, for messages and the switch point.
    private long _position;

    /// <summary>Why reading stopped early at a corrupt line (every pass stops at the same one), or null.</summary>
    public string? Unreadable { get; private set; }

    /// <summary>Why the version is gone (overwritten or deleted mid-read), or null.</summary>
    public string? Changed { get; private set; }

    private int CacheDays => services.Storage.Options.LedgerDaysCached;

    /// <summary>Routes the whole export: by day spans when its first records show an order that would thrash the ledger, else in file order while that stays cheap.</summary>
    public async Task<PassEnd> ReadAsync(OpenedExport export, CancellationToken cancellationToken)
    {
        var layout = await WithExportAsync(peek => PeekAsync(peek.Records, cancellationToken), cancellationToken);
        if (layout == PassEnd.Changed)
        {
            return layout;
        }

        if (layout == PassEnd.OutOfOrder)
        {
            // Decided before anything was routed: every record goes by day spans.
            return await ReadByDayWindowsAsync(skip: 0, cancellationToken);
        }

        var end = await ReadPassAsync(export.Records, skip: 0, filter: null, new DayOrderWatch(CacheDays), cancellationToken);
        return end == PassEnd.OutOfOrder ? await ReadByDayWindowsAsync(_position, cancellationToken) : end;
    }

    /// <summary>
    /// Looks at the first <see cref="LayoutPeekRecords"/> records' days as the ledger's cache would see them: OutOfOrder
    /// when that order would thrash it. Deterministic for a given file, so a resumed run decides the same.
    /// </summary>
    private Task<PassEnd> PeekAsync(IEnumerable<RawRecord> records, CancellationToken cancellationToken)
    {
        var watch = new DayOrderWatch(CacheDays);
        return ScanAsync(records.Take(LayoutPeekRecords), punches =>
        {
            foreach (var punch in punches)
            {
                watch.See(LedgerDays.NumberOf(punch.CheckTime));
            }

            return watch.Thrashing;
        }, cancellationToken);
    }

    /// <summary>
    /// One pass over the export's records from <paramref name="skip"/> on: each accepted punch the filter takes is
    /// routed, or with <paramref name="gather"/> put in its day's bucket (the caller routes them day by day once the
    /// pass is read). With a <paramref name="watch"/>, the pass stops (at a batch boundary) once the file's day order
    /// would make the ledger re-read days again and again.
    /// </summary>
    private async Task<PassEnd> ReadPassAsync(
        IEnumerable<RawRecord> records, long skip, PunchFilter? filter, DayOrderWatch? watch, CancellationToken cancellationToken,
        SortedDictionary<long, List<Punch>>? gather = null)
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
                if (gather is not null)
                {
                    var day = LedgerDays.NumberOf(punch.CheckTime);
                    (gather.TryGetValue(day, out var bucket) ? bucket : gather[day] = []).Add(punch);
                    continue;
                }

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
        var days = new SortedDictionary<long, int>();
        var planned = await WithExportAsync(export => PlanDaysAsync(export.Records, skip, days, cancellationToken), cancellationToken);
        if (planned == PassEnd.Changed)
        {
            return planned;
        }

        var windows = Windows(days, Math.Max(1, CacheDays - 2), MaxPassPunches);
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
            var gathered = new SortedDictionary<long, List<Punch>>();
            end = await WithExportAsync(export => ReadPassAsync(export.Records, skip, filter, watch: null, cancellationToken, gathered), cancellationToken);
            if (end == PassEnd.Changed)
            {
                // Nothing of this span was routed: the blob's next version claims it.
                return end;
            }

            // Day by day, each day's punches in file order: groups fill a day after another, so a claim touches the
            // fewest day partitions and every day is read once, whatever the order within the span.
            foreach (var bucket in gathered.Values)
            {
                foreach (var punch in bucket)
                {
                    await router.RouteAsync(punch, cancellationToken);
                }

                await committer.RenewIfDueAsync(cancellationToken);
            }

            // A group ends with its span and is claimed before the next span's days push this one's out of the cache.
            await committer.CommitOpenGroupAsync(cancellationToken);
        }

        return end;
    }

    /// <summary>
    /// Consecutive spans of the planned days, each of at most <paramref name="maxDays"/> days and at most
    /// <paramref name="maxPunches"/> punches (a day of more punches is a span of its own).
    /// </summary>
    internal static List<(long From, long To)> Windows(SortedDictionary<long, int> days, int maxDays, int maxPunches)
    {
        var windows = new List<(long From, long To)>();
        (long From, long To, int Days, long Punches)? open = null;
        foreach (var (day, punches) in days)
        {
            if (open is { } current && current.Days < maxDays && current.Punches + punches <= maxPunches)
            {
                open = (current.From, day, current.Days + 1, current.Punches + punches);
                continue;
            }

            if (open is { } full)
            {
                windows.Add((full.From, full.To));
            }

            open = (day, day, 1, punches);
        }

        if (open is { } last)
        {
            windows.Add((last.From, last.To));
        }

        return windows;
    }

    /// <summary>The UTC days of the punches from record <paramref name="skip"/> on, with their punch counts.</summary>
    private Task<PassEnd> PlanDaysAsync(IEnumerable<RawRecord> records, long skip, SortedDictionary<long, int> days, CancellationToken cancellationToken) =>
        ScanAsync(Positioned(records, skip), punches =>
        {
            foreach (var punch in punches)
            {
                var day = LedgerDays.NumberOf(punch.CheckTime);
                days[day] = days.GetValueOrDefault(day) + 1;
            }

            return false;
        }, cancellationToken);

    /// <summary>
    /// A scratch read (its tally is thrown away: the routing passes count for real) that shows each batch's punches to
    /// <paramref name="see"/> until it says stop (OutOfOrder). A corrupt line ends it as Read: the routing passes stop
    /// at the same line and report it.
    /// </summary>
    private async Task<PassEnd> ScanAsync(IEnumerable<RawRecord> records, Func<IReadOnlyList<Punch>, bool> see, CancellationToken cancellationToken)
    {
        var importer = new PunchImporter(services.Options, services.Time, mapping, dedupeDays: CacheDays);
        using var batches = importer.ReadBatches(records, new ImportTally(maxRejectionsListed: 0), cancellationToken).GetEnumerator();
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
                return PassEnd.Read;
            }

            if (see(batches.Current.Punches))
            {
                return PassEnd.OutOfOrder;
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
