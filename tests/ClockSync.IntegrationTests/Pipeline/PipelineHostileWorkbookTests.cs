using ClockSync.Benchmarks.Generation;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Storage.ImportRows;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// A workbook built to exhaust memory is refused before the workbook library reads it: nothing is enqueued, the import
/// is final as unreadable, its report names the limit, and a normal workbook dropped beside it imports exactly.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineHostileWorkbookTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_workbook_of_millions_of_shared_strings_enqueues_nothing_and_its_neighbour_imports_exactly()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var hostile = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 2_000_000, length: 1, punches: 40));
        var normal = HostileWorkbooks.Bytes(output => HostileWorkbooks.Normal(output, 130));

        var refused = await harness.UploadAndIngestAsync("strings.xlsx", hostile);
        var imported = await harness.UploadAndIngestAsync("normal.xlsx", normal);
        await harness.DrainQueueAsync();
        var again = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("strings.xlsx"), CancellationToken.None);

        var report = await harness.ReportAsync("strings.xlsx");
        var row = await harness.Imports.GetAsync(refused.ImportId, CancellationToken.None);
        Assert.Equal((0, true), (refused.BatchesEnqueued, again.AlreadyIngested));
        Assert.Equal(ImportReport.Unreadable, report.Status);
        Assert.Contains(
            "the workbook is refused before reading: its part xl/sharedStrings.xml holds more than 1,048,576 shared strings (limit MaxSharedStrings)",
            report.Reason, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (report.NewPunches, report.Summary!.Punches));
        Assert.Equal((ImportState.Unreadable, report.Reason), (row!.State, row.Reason));

        // The sandbox holds exactly the normal workbook's punches, once each, and none of the refused one's.
        var expected = HostileWorkbooks.Punches(130)
            .Select(p => (p.User, new DateTimeOffset(p.Time, TimeSpan.FromHours(8)).ToUnixTimeSeconds()))
            .ToHashSet();
        var posted = harness.Sandbox.Ledger.Snapshot().Select(record => (record.UserId, record.CheckTimeSeconds)).ToList();
        Assert.Equal(3, imported.BatchesEnqueued);
        Assert.Equal(130, harness.LedgerIds().Count);
        Assert.Equal(expected, posted.ToHashSet());
        Assert.Equal(posted.Count, posted.Distinct().Count());
    }
}
