using System.Text;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// The layouts of issue 18 through the whole pipeline (Azurite, the Feishu sandbox): a time card and a cell of several
/// punches in a GB18030 file, then the same day re-exported as one 上午/下午 punch per row. Feishu ends up with exactly
/// the distinct punches, once each.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineFieldLayoutTests(AzuriteFixture azurite)
{
    private static long Shanghai(int hour, int minute) =>
        new DateTimeOffset(2026, 11, 2, hour, minute, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds();

    [Fact]
    public async Task Time_cards_several_times_per_cell_and_12_hour_rows_land_once_per_distinct_punch()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var card = Encoding.GetEncoding("GB18030").GetBytes(
            "考勤卡\n" +
            "工号,姓名,日期,上班1,下班1,上班2,下班2\n" +
            "7,李雷,2026-11-02,08:57,12:01,13:02,18:05\n" +
            "8,韩梅梅,2026-11-02,08:59,,,18:10\n" +
            "9,王五,2026-11-02,,,,\n" +
            "10,赵六,2026-11-02,25:00,,,\n");
        var cells = Encoding.UTF8.GetBytes(
            "工号,姓名,日期,打卡时间\n" +
            "11,钱七,2026-11-02,\"09:00 12:00\n13:00,18:30\"\n" +
            "11,钱七,2026-11-02,09:00\n");
        var rows = Encoding.UTF8.GetBytes(
            "\uFEFF工号,姓名,打卡时间\n" +
            "7,李雷,2026/11/2 上午 8:57:00\n" +
            "7,李雷,2026/11/2 下午 6:05:00\n" +
            "8,韩梅梅,2026/11/2 下午 6:10:00\n" +
            "12,孙八,2026/11/2 上午 12:30:00\n");

        var first = await harness.UploadAndIngestAsync("card.csv", card);
        var second = await harness.UploadAndIngestAsync("cells.csv", cells);
        await harness.DrainQueueAsync();
        var third = await harness.UploadAndIngestAsync("rows.csv", rows);
        await harness.DrainQueueAsync();

        long[] user7 = [Shanghai(8, 57), Shanghai(12, 1), Shanghai(13, 2), Shanghai(18, 5)];
        long[] user8 = [Shanghai(8, 59), Shanghai(18, 10)];
        long[] user11 = [Shanghai(9, 0), Shanghai(12, 0), Shanghai(13, 0), Shanghai(18, 30)];
        var expected = user7.Select(t => ("7", t))
            .Concat(user8.Select(t => ("8", t)))
            .Concat(user11.Select(t => ("11", t)))
            .Append(("12", Shanghai(0, 30)))
            .ToHashSet();
        var ledger = harness.Sandbox.Ledger.Snapshot();
        Assert.Equal(expected, ledger.Select(record => (record.UserId, record.CheckTimeSeconds)).ToHashSet());
        Assert.Equal(expected.Count, ledger.Count);
        Assert.Equal(expected.Count, harness.LedgerIds().Count);

        var cardReport = (await harness.ReportAsync("card.csv")).Summary!;
        Assert.Equal(ImportReport.Imported, (await harness.ReportAsync("card.csv")).Status);
        Assert.Equal((3L, 6L, 1L), (cardReport.Skipped, cardReport.Punches, cardReport.Rejected));
        Assert.Equal(cardReport.Lines, cardReport.Skipped + cardReport.Punches + cardReport.Duplicates + cardReport.Rejected);
        Assert.Equal(6, Assert.Single(cardReport.Rejections).Line);

        var cellsReport = (await harness.ReportAsync("cells.csv")).Summary!;
        Assert.Equal((6L, 4L, 1L), (cellsReport.Lines, cellsReport.Punches, cellsReport.Duplicates));

        // The re-export's punches are all known by their fingerprints, except 孙八's.
        var rowsReport = await harness.ReportAsync("rows.csv");
        Assert.Equal((4L, 1L), (rowsReport.Summary!.Punches, rowsReport.NewPunches));
        Assert.False(first.AlreadyIngested || second.AlreadyIngested || third.AlreadyIngested);
    }
}
