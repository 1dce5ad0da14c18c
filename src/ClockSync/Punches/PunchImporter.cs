using ClockSync.Exports;

namespace ClockSync.Punches;

/// <summary>
/// Streams an export's records into batches of punches: normalises each line, drops in-file duplicates, counts
/// everything into an <see cref="ImportTally"/>. Holds one batch and one 128-bit fingerprint per unique punch, never
/// the file.
/// </summary>
public sealed class PunchImporter
{
    private readonly PunchNormaliser _normaliser;

    // Captured after validation, so changing the (mutable) options later can never make a batch bigger than 50.
    private readonly int _batchSize;

    private readonly int? _dedupeDays;

    /// <param name="options">Validated punch options.</param>
    /// <param name="timeProvider">The clock for the "not in the future" rule.</param>
    /// <param name="mapping">Clock user key → Feishu id, when configured.</param>
    /// <param name="dedupeDays">
    /// Null: in-file duplicates are found across the whole file (memory grows by one fingerprint per unique punch).
    /// A number: only within that many most recently seen days (memory stays flat; see <see cref="DayWindowFingerprintSet"/>).
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public PunchImporter(PunchOptions options, TimeProvider timeProvider, IdMapping? mapping = null, int? dedupeDays = null)
    {
        _normaliser = new PunchNormaliser(options, timeProvider, mapping);
        _batchSize = Math.Min(options.BatchSize, PunchOptions.MaxBatchSize);
        _dedupeDays = dedupeDays;
    }

    public PunchOptions Options => _normaliser.Options;

    /// <summary>The fingerprint rules of this importer's punches, for looking them up elsewhere (the ledger).</summary>
    public PunchIdentity Identity => _normaliser.Identity;

    /// <summary>
    /// Batches of at most <see cref="PunchOptions.BatchSize"/> punches in file order, produced as the records are read.
    /// The tally is complete when the enumeration ends. Enumerate once.
    /// </summary>
    public IEnumerable<PunchBatch> ReadBatches(IEnumerable<RawRecord> records, ImportTally tally, CancellationToken cancellationToken) =>
        ReadBatches(records, tally, filter: null, cancellationToken);

    /// <summary>
    /// Like <see cref="ReadBatches(IEnumerable{RawRecord}, ImportTally, CancellationToken)"/>, for one of several passes
    /// over a file: only punches <paramref name="filter"/> includes are de-duplicated, counted and batched, and lines
    /// that are not punches are counted only by the pass it names, so the passes together count every line once.
    /// </summary>
    public IEnumerable<PunchBatch> ReadBatches(IEnumerable<RawRecord> records, ImportTally tally, PunchFilter? filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(tally);
        return ReadBatchesIterator(records, tally, filter, cancellationToken);
    }

    /// <summary>Reads a whole export as the pipeline would, keeping only the counts: what <c>clocksync validate</c> shows.</summary>
    public ImportSummary Summarise(OpenedExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var tally = new ImportTally(Options.MaxRejectionsListed);
        foreach (var batch in ReadBatches(export.Records, tally, cancellationToken))
        {
            _ = batch;
        }

        return tally.ToSummary(export.FileName, ExportFormatNames.ToName(export.Format), export.Encoding, Options.TimeZone);
    }

    private IEnumerable<PunchBatch> ReadBatchesIterator(IEnumerable<RawRecord> records, ImportTally tally, PunchFilter? filter, CancellationToken cancellationToken)
    {
        var countOthers = filter?.CountsOtherLines ?? true;
        var batchSize = _batchSize;
        var seen = new InFileDedupe(_normaliser.Identity, _dedupeDays);
        var batch = new List<Punch>(batchSize);
        var batchNumber = 0;
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = _normaliser.Normalise(record);
            switch (outcome.Kind)
            {
                case RawRecordKind.Skipped:
                    if (countOthers)
                    {
                        tally.CountSkipped();
                    }

                    break;
                case RawRecordKind.Rejected:
                    if (countOthers)
                    {
                        tally.CountRejected(outcome.Rejection!);
                    }

                    break;
                default:
                    var punch = outcome.Punch!;
                    if (filter is not null && !filter.Includes(punch))
                    {
                        break;
                    }

                    if (seen.Add(punch) is { } match)
                    {
                        tally.CountDuplicate(match);
                        break;
                    }

                    tally.CountPunch(punch);
                    batch.Add(punch);
                    if (batch.Count == batchSize)
                    {
                        tally.CountBatch();
                        yield return new PunchBatch(++batchNumber, batch);
                        batch = new List<Punch>(batchSize);
                    }

                    break;
            }
        }

        if (batch.Count > 0)
        {
            tally.CountBatch();
            yield return new PunchBatch(++batchNumber, batch);
        }
    }
}

/// <summary>One pass of several over a file (<see cref="PunchImporter.ReadBatches(IEnumerable{RawRecord}, ImportTally, PunchFilter?, CancellationToken)"/>).</summary>
/// <param name="Includes">The punches this pass takes.</param>
/// <param name="CountsOtherLines">Whether this pass counts the lines that are not punches (skipped, rejected); exactly one pass should.</param>
public sealed record PunchFilter(Func<Punch, bool> Includes, bool CountsOtherLines);
