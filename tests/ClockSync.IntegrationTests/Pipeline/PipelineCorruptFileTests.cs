using System.IO.Compression;
using System.Text;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Storage.ImportRows;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>Files that break part-way: the good part is imported or explicitly reported, and nothing lands twice.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineCorruptFileTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_attlog_whose_tail_is_random_bytes_imports_the_good_lines_and_reports_the_rest()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var tail = new byte[4096];
        new Random(11).NextBytes(tail);
        var content = Encoding.UTF8.GetBytes(PipelineHarness.AttLog(PipelineHarness.Punches(120))).Concat(tail).ToArray();

        var result = await harness.UploadAndIngestAsync("torn.dat", content);
        await harness.DrainQueueAsync();
        var again = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("torn.dat"), CancellationToken.None);
        await harness.DrainQueueAsync();

        var report = await harness.ReportAsync("torn.dat");
        var row = await harness.Imports.GetAsync(result.ImportId, CancellationToken.None);
        Assert.Equal(120, harness.LedgerIds().Count);
        Assert.Equal(120L, report.NewPunches);
        Assert.Equal(120L, report.Summary!.Punches);
        // The tail decodes to garbage lines: each one is rejected with its line number, the file counts as imported.
        Assert.Equal(ImportReport.Imported, report.Status);
        Assert.True(report.Summary.Rejected > 0, "the torn tail was neither rejected nor reported");
        Assert.All(report.Summary.Rejections, rejection => Assert.False(string.IsNullOrWhiteSpace(rejection.Reason)));
        Assert.All(report.Summary.Rejections, rejection => Assert.True(rejection.Line > 120, "a good line was rejected"));
        Assert.True(again.AlreadyIngested);
        Assert.True(ImportState.IsFinal(row!.State));
        Assert.Equal(120, harness.Sandbox.Ledger.Snapshot().Count);
    }

    [Fact]
    public async Task A_truncated_xlsx_is_reported_and_imports_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var whole = new MemoryStream();
        using (var zip = new ZipArchive(whole, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml" })
            {
                using var entry = new StreamWriter(zip.CreateEntry(name).Open());
                await entry.WriteAsync(string.Concat(Enumerable.Repeat("<row r=\"1\"><c t=\"inlineStr\"><is><t>1</t></is></c></row>", 200)));
            }
        }

        var truncated = whole.ToArray()[..(int)(whole.Length / 2)];
        var result = await harness.UploadAndIngestAsync("torn.xlsx", truncated);
        var again = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("torn.xlsx"), CancellationToken.None);

        var report = await harness.ReportAsync("torn.xlsx");
        var row = await harness.Imports.GetAsync(result.ImportId, CancellationToken.None);
        Assert.Equal((0, true), (result.BatchesEnqueued, again.AlreadyIngested));
        Assert.Equal(ImportReport.Unreadable, report.Status);
        Assert.Contains("reading stopped after line 0", report.Reason, StringComparison.Ordinal);
        Assert.EndsWith("/torn.xlsx", report.Blob, StringComparison.Ordinal);
        Assert.Equal((ImportState.Unreadable, report.Reason), (row!.State, row.Reason));
        Assert.Equal(0, await harness.DrainQueueAsync());
        Assert.Empty(harness.LedgerIds());
    }
}
