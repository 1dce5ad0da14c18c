using System.Text;
using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The idempotent ids the sandbox should end with: the distinct punches of a harness file, as the pipeline reads them.</summary>
internal static class ExpectedIds
{
    /// <summary>The distinct punches of <c>PipelineHarness.AttLog(PipelineHarness.Punches(count, users))</c>.</summary>
    public static HashSet<string> Of(int count, string fileName, int users = 7) =>
        OfContent(PipelineHarness.AttLog(PipelineHarness.Punches(count, users)), fileName);

    /// <summary>The distinct punches of an export's <paramref name="content"/>.</summary>
    public static HashSet<string> OfContent(string content, string fileName)
    {
        var importer = new PunchImporter(new PunchOptions { UnmappedUsers = UnmappedUserPolicy.PassThrough }, TimeProvider.System);
        using var export = ExportFileReader.Open(
            new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName, ExportReadOptions.Default, CancellationToken.None);
        return importer.ReadBatches(export.Records, new ImportTally(), CancellationToken.None)
            .SelectMany(batch => batch.Punches)
            .Select(punch => punch.Fingerprint.ToString())
            .ToHashSet(StringComparer.Ordinal);
    }
}
