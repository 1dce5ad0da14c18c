using System.Globalization;
using System.Text;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Punches;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// Punch identity v2 through the real pipeline (Azurite + the Feishu sandbox): one punch is posted once whatever format
/// brings it, at whatever precision, across the upgrade from version-1 fingerprints, and in a daylight-saving overlap.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineIdentityTests(AzuriteFixture azurite)
{
    private static readonly DateTime Start = new(2025, 6, 2, 8, 0, 31);

    /// <summary>Distinct punches with seconds (:31): users 1..7 in turn, one a minute from 08:00:31.</summary>
    private static (string User, DateTime Time)[] Punches(int count) =>
        Enumerable.Range(0, count).Select(i => ((i % 7 + 1).ToString(CultureInfo.InvariantCulture), Start.AddMinutes(i))).ToArray();

    /// <summary>A ZKTeco PUSH body (<c>PIN, time, status, verify, work code, reserved…</c>): no device field.</summary>
    private static string PushBody((string User, DateTime Time)[] punches) =>
        string.Concat(punches.Select(punch => string.Create(CultureInfo.InvariantCulture, $"{punch.User}\t{punch.Time:yyyy-MM-dd HH:mm:ss}\t0\t1\t0\t0\t0\n")));

    /// <summary>A BioTime transactions CSV: split date and time columns and the clock's serial number as device.</summary>
    private static string BioTimeCsv((string User, DateTime Time)[] punches, string timeFormat = "HH:mm:ss")
    {
        var text = new StringBuilder("Emp ID,First Name,Department,Date,Time,Punch State,Area,Serial Number\n");
        foreach (var (user, time) in punches)
        {
            text.Append(CultureInfo.InvariantCulture, $"{user},Li,R&D,{time:yyyy-MM-dd},{time.ToString(timeFormat, CultureInfo.InvariantCulture)},Check In,HQ,CKJ4212345\n");
        }

        return text.ToString();
    }

    /// <summary>The sandbox holds each (user, second) once and exactly <paramref name="expected"/> of them.</summary>
    private static void AssertSandboxHoldsEachPunchOnce(PipelineHarness harness, IEnumerable<(string User, long CheckTime)> expected)
    {
        harness.LedgerIds();
        var stored = harness.Sandbox.Ledger.Snapshot().Select(record => (record.UserId, record.CheckTimeSeconds)).ToList();
        Assert.Equal(expected.OrderBy(punch => punch).ToList(), stored.OrderBy(punch => punch).ToList());
    }

    private static IEnumerable<(string User, long CheckTime)> Instants((string User, DateTime Time)[] punches, TimeSpan offset) =>
        punches.Select(punch => (punch.User, new DateTimeOffset(punch.Time, offset).ToUnixTimeSeconds()));

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public async Task The_same_punches_as_USB_attlog_then_PUSH_body_then_BioTime_CSV_with_serial_numbers_land_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var punches = Punches(120);

        await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog(punches));
        await harness.DrainQueueAsync();
        var push = await harness.UploadAndIngestAsync("ATTLOG.txt", PushBody(punches));
        var csv = await harness.UploadAndIngestAsync("transactions.csv", BioTimeCsv(punches));
        await harness.DrainQueueAsync();

        Assert.Equal((0, 0), (push.BatchesEnqueued, csv.BatchesEnqueued));
        var pushReport = await harness.ReportAsync("ATTLOG.txt");
        var csvReport = await harness.ReportAsync("transactions.csv");
        Assert.Equal((120L, 0L), (pushReport.AlreadyImported, pushReport.NewPunches));
        Assert.Equal((120L, 0L, 0L), (csvReport.AlreadyImported, csvReport.NewPunches, csvReport.Summary!.MatchedAtMinutePrecision));
        AssertSandboxHoldsEachPunchOnce(harness, Instants(punches, Shanghai));

        // Device text stays in the record, only not in the identity.
        Assert.All(harness.Sandbox.Ledger.Snapshot(), record => Assert.Equal("考勤机 1", record.LocationName));
    }

    [Fact]
    public async Task A_CSV_without_seconds_after_the_attlog_with_seconds_posts_nothing_again_and_says_it_matched_at_minute_precision()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var punches = Punches(100);
        await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog(punches));
        await harness.DrainQueueAsync();

        // The same punches to the minute, plus 5 punches of a later hour that are new.
        var later = Enumerable.Range(0, 5).Select(i => ("9", new DateTime(2025, 6, 2, 18, 10 + i, 0))).ToArray();
        var result = await harness.UploadAndIngestAsync("report.csv", BioTimeCsv([.. punches, .. later], "HH:mm"));
        await harness.DrainQueueAsync();

        Assert.Equal(1, result.BatchesEnqueued);
        var report = await harness.ReportAsync("report.csv");
        Assert.Equal((100L, 5L, 100L), (report.AlreadyImported, report.NewPunches, report.Summary!.MatchedAtMinutePrecision));
        AssertSandboxHoldsEachPunchOnce(harness, Instants([.. punches, .. later], Shanghai));
    }

    [Fact]
    public async Task A_punch_first_imported_without_seconds_is_posted_at_the_minute_and_an_export_with_seconds_does_not_post_it_again()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var punches = Punches(60);
        await harness.UploadAndIngestAsync("report.csv", BioTimeCsv(punches, "HH:mm"));
        await harness.DrainQueueAsync();
        var atTheMinute = punches.Select(punch => (punch.User, punch.Time.AddSeconds(-punch.Time.Second))).ToArray();
        AssertSandboxHoldsEachPunchOnce(harness, Instants(atTheMinute, Shanghai));

        // The attlog has the same punches with seconds, and a second real punch of user 1 in a minute nobody punched.
        var extra = ("1", new DateTime(2025, 6, 2, 12, 0, 5));
        var result = await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog([.. punches, extra]));
        await harness.DrainQueueAsync();

        var report = await harness.ReportAsync("1_attlog.dat");
        Assert.Equal((60L, 1L, 60L), (report.AlreadyImported, report.NewPunches, report.Summary!.MatchedAtMinutePrecision));
        Assert.Equal(1, result.BatchesEnqueued);
        AssertSandboxHoldsEachPunchOnce(harness, Instants([.. atTheMinute, extra], Shanghai));
    }

    [Fact]
    public async Task A_re_export_across_the_upgrade_from_version_1_fingerprints_posts_only_what_is_new()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var options = harness.Services.GetRequiredService<IOptions<PunchOptions>>().Value;
        var punches = Punches(150);

        // As a release before identity v2: version-1 fingerprints in the ledger and in Feishu.
        options.Version1Identity = true;
        await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog(punches));
        await harness.DrainQueueAsync();
        var before = harness.LedgerIds();
        Assert.Contains(PunchFingerprint.ComputeV1("clock", "1", new DateTimeOffset(Start, Shanghai).ToUnixTimeSeconds(), "1").ToString(), before);

        // Upgraded: the clock's next cumulative export, with the old punches and 20 new ones.
        options.Version1Identity = false;
        var more = Punches(170);
        var result = await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog(more));
        await harness.DrainQueueAsync();

        var report = await harness.ReportAsync("1_attlog.dat");
        Assert.Equal((150L, 20L, 150L), (report.AlreadyImported, report.NewPunches, report.Summary!.MatchedVersion1));
        Assert.Equal(1, result.BatchesEnqueued);
        AssertSandboxHoldsEachPunchOnce(harness, Instants(more, Shanghai));
        var after = harness.LedgerIds();
        Assert.True(before.IsSubsetOf(after));
        Assert.Contains(PunchFingerprint.Compute("clock", "3", new DateTimeOffset(Start.AddMinutes(163), Shanghai).ToUnixTimeSeconds()).ToString(), after);

        // The same export once more after the upgrade: the sandbox ledger is unchanged.
        await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog(more));
        await harness.DrainQueueAsync();
        Assert.Equal(after, harness.LedgerIds());
    }

    [Fact]
    public async Task Two_punches_at_a_wall_time_a_fall_back_repeats_both_land_and_a_re_export_doubles_neither()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            ["ClockSync:Punches:TimeZone"] = "Europe/Berlin",
        });

        // 2024-10-27 in Berlin: 03:00 summer time goes back to 02:00, so 02:30 happens twice.
        (string, DateTime)[] night =
        [
            ("1", new DateTime(2024, 10, 27, 1, 50, 0)),
            ("1", new DateTime(2024, 10, 27, 2, 30, 0)),
            ("2", new DateTime(2024, 10, 27, 2, 30, 0)),
            ("1", new DateTime(2024, 10, 27, 2, 30, 0)),
            ("1", new DateTime(2024, 10, 27, 3, 10, 0)),
        ];
        await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog(night));
        await harness.DrainQueueAsync();

        var summer = TimeSpan.FromHours(2);
        var winter = TimeSpan.FromHours(1);
        (string, long)[] expected =
        [
            ("1", new DateTimeOffset(2024, 10, 27, 1, 50, 0, summer).ToUnixTimeSeconds()),
            ("1", new DateTimeOffset(2024, 10, 27, 2, 30, 0, summer).ToUnixTimeSeconds()),
            ("2", new DateTimeOffset(2024, 10, 27, 2, 30, 0, summer).ToUnixTimeSeconds()),
            ("1", new DateTimeOffset(2024, 10, 27, 2, 30, 0, winter).ToUnixTimeSeconds()),
            ("1", new DateTimeOffset(2024, 10, 27, 3, 10, 0, winter).ToUnixTimeSeconds()),
        ];
        AssertSandboxHoldsEachPunchOnce(harness, expected);
        var report = await harness.ReportAsync("1_attlog.dat");
        Assert.Equal((5L, 0L, 3L, 1L), (report.Summary!.Punches, report.Summary.Duplicates, report.Summary.DstOverlap, report.Summary.DstOverlapLater));

        // The cumulative next export lists the night again in the same order, plus one punch: only that one is posted.
        var morning = ("2", new DateTime(2024, 10, 27, 8, 0, 0));
        await harness.UploadAndIngestAsync("1_attlog.dat", PipelineHarness.AttLog([.. night, morning]));
        await harness.DrainQueueAsync();

        var again = await harness.ReportAsync("1_attlog.dat");
        Assert.Equal((5L, 1L), (again.AlreadyImported, again.NewPunches));
        AssertSandboxHoldsEachPunchOnce(harness, [.. expected, ("2", new DateTimeOffset(2024, 10, 27, 8, 0, 0, winter).ToUnixTimeSeconds())]);
    }
}
