using System.Text.Json;
using ClockSync.Cli;

namespace ClockSync.Tests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("clocksync-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task The_attlog_sample_is_read_and_summarised_for_humans()
    {
        var run = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Contains("format       attlog", run.Out, StringComparison.Ordinal);
        Assert.Contains("lines        39 = 1 skipped + 34 punches + 1 duplicates + 3 rejected", run.Out, StringComparison.Ordinal);
        Assert.Contains("line 13     time: time '2000-01-01 00:03:12' is before 2022-01-01", run.Out, StringComparison.Ordinal);
        Assert.Contains("line 21     time:", run.Out, StringComparison.Ordinal);
        Assert.Contains("line 28     time: time '2099-03-01 09:00:00' is more than 1 day in the future", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_one_object_on_stdout_with_the_required_fields_and_the_accounting_identity()
    {
        var run = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(CliRun.Sample("1_attlog.dat"), root.GetProperty("file").GetString());
        Assert.Equal("attlog", root.GetProperty("format").GetString());
        Assert.Equal("UTF-8", root.GetProperty("encoding").GetString());
        var (lines, skipped, punches, duplicates, rejected) = (Long(root, "lines"), Long(root, "skipped"), Long(root, "punches"), Long(root, "duplicates"), Long(root, "rejected"));
        Assert.Equal((39L, 1L, 34L, 1L, 3L), (lines, skipped, punches, duplicates, rejected));
        Assert.Equal(lines, skipped + punches + duplicates + rejected);
        Assert.Equal(8, Long(root, "users"));
        Assert.Equal(1, Long(root, "batches"));
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 8, 40, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds(), Long(root, "firstCheckTime"));
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 18, 33, 17, TimeSpan.FromHours(8)).ToUnixTimeSeconds(), Long(root, "lastCheckTime"));
        Assert.Equal([13L, 21, 28], root.GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("line").GetInt64()));
        Assert.All(root.GetProperty("rejections").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task The_Hikvision_sample_with_title_rows_and_apostrophe_ids_maps_every_person()
    {
        var run = await CliRun.RunAsync("validate", CliRun.Sample("hikvision-attendance.csv"), "--mapping", CliRun.Sample("id-mapping.csv"), "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("csv", root.GetProperty("format").GetString());
        Assert.Equal("UTF-8 (BOM)", root.GetProperty("encoding").GetString());
        Assert.Equal((15L, 3L, 10L, 1L, 1L), (Long(root, "lines"), Long(root, "skipped"), Long(root, "punches"), Long(root, "duplicates"), Long(root, "rejected")));
        Assert.Equal("user", root.GetProperty("rejections")[0].GetProperty("field").GetString());
        Assert.Equal(4, Long(root, "users"));
    }

    [Fact]
    public async Task With_a_mapping_unmapped_users_are_rejected_unless_passed_through()
    {
        var rejecting = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--mapping", CliRun.Sample("id-mapping.csv"), "--json");
        var passing = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--mapping", CliRun.Sample("id-mapping.csv"), "--unmapped", "pass-through", "--json");

        using var rejected = JsonDocument.Parse(rejecting.Out);
        using var passed = JsonDocument.Parse(passing.Out);
        var userRejections = rejected.RootElement.GetProperty("rejections").EnumerateArray().Where(r => r.GetProperty("field").GetString() == "user").ToList();
        Assert.Equal(4, userRejections.Count);
        Assert.All(userRejections, r => Assert.Contains("'A1034' is not in the id mapping", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Equal(34, Long(passed.RootElement, "punches"));
    }

    [Fact]
    public async Task The_time_zone_option_moves_every_punch()
    {
        var shanghai = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--json");
        var berlin = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--time-zone", "Europe/Berlin", "--json");

        using var a = JsonDocument.Parse(shanghai.Out);
        using var b = JsonDocument.Parse(berlin.Out);
        Assert.Equal(6 * 3600, Long(b.RootElement, "firstCheckTime") - Long(a.RootElement, "firstCheckTime"));
        Assert.Equal("Europe/Berlin", b.RootElement.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task A_missing_file_exits_3_with_one_line_naming_it()
    {
        var path = Path.Combine(_temp, "nope_attlog.dat");

        var run = await CliRun.RunAsync("validate", path, "--json");

        Assert.Equal(ExitCodes.FileNotFound, run.ExitCode);
        Assert.Equal($"clocksync: {path}: file not found", run.Error.TrimEnd());
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task A_directory_exits_4()
    {
        var run = await CliRun.RunAsync("validate", _temp);

        Assert.Equal(ExitCodes.Unreadable, run.ExitCode);
        Assert.Contains(_temp, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minute_precision_matches_and_DST_overlap_placements_are_shown_when_they_happen()
    {
        var path = Path.Combine(_temp, "report.csv");
        await File.WriteAllTextAsync(path, "Emp ID,Date,Time\n7,2024-10-27,08:57:31\n7,2024-10-27,08:57\n8,2024-10-27,02:30:00\n8,2024-10-27,02:30:00\n");

        var run = await CliRun.RunAsync("validate", path, "--time-zone", "Europe/Berlin");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("lines        5 = 1 skipped + 3 punches + 1 duplicates + 0 rejected", run.Out, StringComparison.Ordinal);
        Assert.Contains("minute       1 duplicates matched at minute precision", run.Out, StringComparison.Ordinal);
        Assert.Contains("DST overlap  2 punches in a repeated hour placed by the overlap rule, 1 at the later instant", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes.txt", "Meeting notes\nBring coffee\nNothing about clocks here\n")]
    [InlineData("empty.dat", "")]
    public async Task A_file_that_is_not_a_clock_export_exits_5_naming_the_file(string name, string content)
    {
        var path = Path.Combine(_temp, name);
        await File.WriteAllTextAsync(path, content);

        var run = await CliRun.RunAsync("validate", path, "--json");

        Assert.Equal(ExitCodes.NotAClockExport, run.ExitCode);
        Assert.StartsWith($"clocksync: {path}: not a clock export", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task A_bad_mapping_file_exits_6_naming_file_and_line()
    {
        var mapping = Path.Combine(_temp, "ids.csv");
        await File.WriteAllTextAsync(mapping, "clock key,feishu id\n7,ou_7\n18\n");

        var run = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--mapping", mapping);

        Assert.Equal(ExitCodes.Configuration, run.ExitCode);
        Assert.Equal($"clocksync: {mapping} line 3: expected \"clock key,feishu id\", found \"18\".", run.Error.TrimEnd());
    }

    [Theory]
    [InlineData("validate", "samples/1_attlog.dat", "--time-zone", "Asia/Beijing")]
    [InlineData("validate", "samples/1_attlog.dat", "--format", "dbf")]
    [InlineData("validate", "samples/1_attlog.dat", "--date-order", "ydm")]
    [InlineData("validate", "samples/1_attlog.dat", "--bogus")]
    [InlineData("validate")]
    [InlineData("explode")]
    public async Task A_wrong_command_line_exits_2(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("clocksync: ", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task A_forced_format_is_used_instead_of_detection()
    {
        // Read as PUSH, the attlog's third column (device) becomes the status: same punches, no devices.
        var run = await CliRun.RunAsync("validate", CliRun.Sample("1_attlog.dat"), "--format", "push", "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("push", json.RootElement.GetProperty("format").GetString());
    }

    [Fact]
    public async Task Help_lists_the_options_and_the_exit_codes()
    {
        var run = await CliRun.RunAsync("validate", "--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (var expected in new[] { "clocksync validate <file>", "--format", "--time-zone", "--date-order", "--mapping", "--json", "Exit codes:", "not a clock export" })
        {
            Assert.Contains(expected, run.Out, StringComparison.Ordinal);
        }
    }

    private static long Long(JsonElement root, string name) => root.GetProperty(name).GetInt64();
}
