using ClockSync.Exports;
using ClockSync.Punches;
using Microsoft.Extensions.Time.Testing;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

/// <summary>Reading the issue 18 layouts as the pipeline does, with the import's accounting checked.</summary>
internal static class LayoutTestSupport
{
    /// <summary>After the test data (2 November 2026), so that no punch is in the future.</summary>
    private static readonly FakeTimeProvider Now = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public static DateTime On2November(int hour, int minute, int second = 0) => Local(2026, 11, 2, hour, minute, second);

    /// <summary>
    /// Opens and reads the content, then imports it again for the summary: <c>lines = skipped + punches + duplicates +
    /// rejected</c>, one summary line per record, and line numbers that never go back (a row's punches share its).
    /// </summary>
    public static (OpenedExport Export, List<RawRecord> Records, ImportSummary Summary) ImportAccounted(
        byte[] content, string fileName, ExportReadOptions? options = null)
    {
        var (export, records) = OpenAndRead(content, fileName, options);
        using var again = ExportFileReader.Open(new MemoryStream(content, writable: false), fileName, options ?? ExportReadOptions.Default);
        var summary = new PunchImporter(new PunchOptions(), Now).Summarise(again, CancellationToken.None);

        Assert.Equal(summary.Lines, summary.Skipped + summary.Punches + summary.Duplicates + summary.Rejected);
        Assert.Equal(records.Count, summary.Lines);
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Line <= pair.Second.Line), "line numbers go back");
        return (export, records, summary);
    }
}
