using ClockSync.Exports;
using ClockSync.Punches;
using ClockSync.Tests.Exports;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Robustness;

/// <summary>
/// Runs one input through the whole import path — <see cref="ExportFileReader.Open"/> (detected, or forced to each
/// format) and <see cref="PunchImporter.ReadBatches"/> — and asserts what must hold for every input whatsoever.
/// </summary>
internal static class WholePath
{
    /// <summary>Detection, then every format forced (Excel included: a forced workbook read of text must fail cleanly too).</summary>
    public static readonly ExportFormat?[] Formats =
        [null, ExportFormat.ZkTecoAttLog, ExportFormat.ZkTecoPush, ExportFormat.ClockTextReport, ExportFormat.Delimited, ExportFormat.Excel];

    /// <summary>The fields a rejection may name (readers and normaliser).</summary>
    private static readonly string[] KnownFields = ["line", "user", "time"];

    /// <summary>Excel's own row limit: workbook rows are numbered by the sheet, not by bytes.</summary>
    private const long MaxWorkbookRow = 1_048_576;

    /// <summary>
    /// Fixed allowance for buffers (line and record buffers, the first-sheet tables of a workbook) plus a generous
    /// multiple of the input: a stream reader must never allocate more than a constant factor of what it reads.
    /// </summary>
    private const long FixedAllocationAllowance = 16L * 1024 * 1024;
    private const long AllocationPerInputByte = 64;

    /// <summary>
    /// What reading one numbered workbook row may cost: the workbook library's cells for the row, and the record and
    /// rejection the row becomes. A damaged workbook can number up to Excel's row limit in a few bytes (found by the
    /// property, seed dlM37yEi_3r9: a 7 KiB .xls read as 56,837 rows, about 185 bytes each), so a workbook's allowance
    /// grows with the rows its sheet numbered, which <see cref="MaxWorkbookRow"/> bounds.
    /// </summary>
    private const long AllocationPerWorkbookRow = 256;

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));

    public static void AssertHoldsForEveryFormat(RobustnessInput input, bool seekable)
    {
        foreach (var format in Formats)
        {
            AssertHolds(input, format, seekable);
        }
    }

    /// <returns>The tally, or null when the input was refused as not an export.</returns>
    public static ImportTally? AssertHolds(RobustnessInput input, ExportFormat? format, bool seekable)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        ImportTally? tally;
        long workbookRows;
        try
        {
            (tally, workbookRows) = Import(input, format, seekable);
        }
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException(
                $"{Describe(format)}: {error.GetType().Name} escaped (only NotAClockExportException may): {error.Message}{Environment.NewLine}{error}");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var allowed = FixedAllocationAllowance + (AllocationPerInputByte * input.Content.Length) + (AllocationPerWorkbookRow * workbookRows);
        Assert.True(
            allocated <= allowed,
            $"{Describe(format)}: allocated {allocated:N0} bytes for {input.Content.Length:N0} input bytes and {workbookRows:N0} workbook rows (allowed {allowed:N0})");
        return tally;
    }

    /// <returns>The tally (null when refused), and the rows a workbook's sheet numbered (0 for text).</returns>
    private static (ImportTally? Tally, long WorkbookRows) Import(RobustnessInput input, ExportFormat? format, bool seekable)
    {
        Stream stream = seekable ? new MemoryStream(input.Content, writable: false) : new TrickleStream(input.Content, maxChunk: 8192);
        var importer = new PunchImporter(new PunchOptions(), Clock);
        var tally = new ImportTally(maxRejectionsListed: 1000);
        var counter = new RecordCounter();
        var workbook = false;
        try
        {
            using var export = ExportFileReader.Open(stream, input.FileName, new ExportReadOptions { Format = format });

            // Text lines need at least a byte each; workbook rows are numbered by the sheet (a damaged one can claim
            // thousands of blank rows in a few bytes), so only Excel's own limit bounds them.
            workbook = export.Format == ExportFormat.Excel;
            counter.LineBound = workbook ? MaxWorkbookRow : input.Content.Length + 1L;
            foreach (var batch in importer.ReadBatches(counter.Count(export.Records), tally, CancellationToken.None))
            {
                Assert.InRange(batch.Punches.Count, 1, PunchOptions.MaxBatchSize);
            }
        }
        catch (NotAClockExportException refused)
        {
            Assert.False(string.IsNullOrWhiteSpace(refused.Message), $"{Describe(format)}: refused without a reason");
            return (null, 0);
        }

        Assert.Equal(counter.Records, tally.Lines);
        Assert.Equal(tally.Lines, tally.Skipped + tally.Punches + tally.Duplicates + tally.Rejected);
        foreach (var rejection in tally.Rejections)
        {
            Assert.InRange(rejection.Line, 1, counter.LastLine);
            Assert.Contains(rejection.Field, KnownFields);
            Assert.False(string.IsNullOrWhiteSpace(rejection.Reason), $"{Describe(format)}: line {rejection.Line} rejected without a reason");
        }

        var summary = tally.ToSummary(input.FileName, "any", "any", "Asia/Shanghai");
        Assert.Equal(summary.Lines, summary.Skipped + summary.Punches + summary.Duplicates + summary.Rejected);
        Assert.Equal(summary.Rejected, summary.Rejections.Count + summary.RejectionsOmitted);
        return (tally, workbook ? counter.LastLine : 0);
    }

    private static string Describe(ExportFormat? format) => format is null ? "detected format" : $"forced format {format}";

    /// <summary>Counts the records the reader produced and checks their line numbers on the way, without keeping them.</summary>
    private sealed class RecordCounter
    {
        public long LineBound { get; set; }

        public long Records { get; private set; }

        public long LastLine { get; private set; }

        public IEnumerable<RawRecord> Count(IEnumerable<RawRecord> records)
        {
            foreach (var record in records)
            {
                if (record.Line < LastLine || record.Line > LineBound)
                {
                    Assert.Fail($"record {Records + 1} has line {record.Line} after line {LastLine} (lines must not go back, and stay within {LineBound:N0}; several punches of one line share its number)");
                }

                Records++;
                LastLine = record.Line;
                yield return record;
            }
        }
    }
}
