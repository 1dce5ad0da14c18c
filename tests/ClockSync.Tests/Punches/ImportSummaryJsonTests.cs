using System.Text.Json;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

public sealed class ImportSummaryJsonTests
{
    private static readonly ImportSummary Sample = new()
    {
        File = "1_attlog.dat",
        Format = "attlog",
        Encoding = "UTF-8",
        TimeZone = "Asia/Shanghai",
        Lines = 5,
        Skipped = 1,
        Punches = 2,
        Duplicates = 1,
        Rejected = 1,
        Rejections = [new PunchRejection(4, "time", "time \"2000-01-01 00:00:00\" is before 2022-01-01 (Asia/Shanghai); 考勤机")],
        Users = 2,
        Batches = 1,
        FirstCheckTime = 1748825851,
        LastCheckTime = 1748826130,
    };

    [Fact]
    public void Field_names_are_exactly_the_ones_the_issue_requires()
    {
        using var json = JsonDocument.Parse(Sample.ToJson());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        string[] required = ["file", "format", "encoding", "lines", "skipped", "punches", "duplicates", "rejected", "rejections", "users", "batches", "firstCheckTime", "lastCheckTime"];
        Assert.All(required, name => Assert.Contains(name, names));
        var rejection = json.RootElement.GetProperty("rejections")[0];
        Assert.Equal(4, rejection.GetProperty("line").GetInt64());
        Assert.Equal("time", rejection.GetProperty("field").GetString());
        Assert.StartsWith("time \"2000-01-01", rejection.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1748825851, json.RootElement.GetProperty("firstCheckTime").GetInt64());
    }

    [Fact]
    public void Chinese_text_is_written_as_is()
    {
        Assert.Contains("考勤机", Sample.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_times_are_null_not_zero()
    {
        using var json = JsonDocument.Parse((Sample with { FirstCheckTime = null, LastCheckTime = null }).ToJson());

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("firstCheckTime").ValueKind);
    }

    [Fact]
    public void The_summary_reads_back_as_it_was_written()
    {
        var back = ImportSummary.FromJson(Sample.ToJson());

        Assert.Equal(Sample with { Rejections = [] }, back with { Rejections = [] });
        Assert.Equal(Sample.Rejections, back.Rejections);
    }
}
