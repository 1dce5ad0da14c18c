using System.Globalization;
using ClockSync.IntegrationTests.Infrastructure;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>A long cumulative export ingested with a ledger day cache far smaller than the days it spans.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineLedgerCacheTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_100_day_export_out_of_time_order_ingests_once_with_a_4_day_cache_and_its_re_export_posts_only_the_new_day()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?> { ["ClockSync:Storage:LedgerDaysCached"] = "4" });
        var first = Days(100);
        var cumulative = Days(101);

        await harness.UploadAndIngestAsync("years.dat", PipelineHarness.AttLog(first));
        await harness.DrainQueueAsync();
        await harness.UploadAndIngestAsync("years.dat", PipelineHarness.AttLog(cumulative));
        await harness.DrainQueueAsync();

        var report = await harness.ReportAsync("years.dat");
        Assert.Equal((200L, 2L), (report.AlreadyImported, report.NewPunches));
        Assert.Equal(202, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_copy_far_from_its_original_is_still_a_duplicate_when_only_one_day_is_held_in_memory()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?> { ["ClockSync:Storage:LedgerDaysCached"] = "1" });
        var punches = PipelineHarness.Punches(10_100);

        // The first punch again at the end: by then its day has left the importer's window and the ledger's cache, and
        // its group (the first 3,000 punches) is claimed: the ledger, read again, says this import already has it.
        var result = await harness.UploadAndIngestAsync("far.dat", PipelineHarness.AttLog([.. punches, punches[0]]));
        await harness.DrainQueueAsync();

        var report = await harness.ReportAsync("far.dat");
        Assert.Equal((10_101L, 10_100L, 1L), (report.Summary!.Lines, report.Summary.Punches, report.Summary.Duplicates));
        Assert.Equal((10_100L, 202), (report.NewPunches, report.Batches));
        Assert.Equal(10_100, harness.LedgerIds().Count);
        Assert.Equal(10_100, harness.Sandbox.Requests.Snapshot().Sum(request => request.RecordCount ?? 0));
        Assert.Equal(10_100L, (await harness.Imports.GetTotalsAsync(result.ImportId, CancellationToken.None))!.Posting.PunchesPosted);
    }

    /// <summary>
    /// Two punches a day (the first listed twice: an in-file duplicate); days alternate between both ends of the range,
    /// so with 4 cached days the ledger keeps dropping and re-reading partitions.
    /// </summary>
    private static (string User, DateTime Time)[] Days(int days) =>
        Enumerable.Range(0, days)
            .Select(i => i % 2 == 0 ? i / 2 : days - 1 - (i / 2))
            .SelectMany(day => new[]
            {
                ((day % 5 + 1).ToString(CultureInfo.InvariantCulture), new DateTime(2025, 3, 1, 8, 0, 0).AddDays(day)),
                ((day % 5 + 1).ToString(CultureInfo.InvariantCulture), new DateTime(2025, 3, 1, 8, 0, 0).AddDays(day)),
                ((day % 5 + 1).ToString(CultureInfo.InvariantCulture), new DateTime(2025, 3, 1, 18, 0, 0).AddDays(day)),
            })
            .ToArray();
}
