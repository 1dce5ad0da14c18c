using ClockSync.Exports;
using ClockSync.Exports.Tabular;
using ClockSync.Punches;
using CsCheck;

namespace ClockSync.Tests.Punches;

/// <summary>The identity rules inside one file: minute precision, and the daylight-saving overlap.</summary>
public sealed class PunchIdentityTests
{
    private static RawRecord MinuteOnly(long line, string user, string time, string? device = "1") =>
        Records.Punch(line, user, time, device) is var record ? record with { Time = record.Time with { MinuteOnly = true } } : default;

    private static (List<Punch> Punches, ImportSummary Summary) Import(IEnumerable<RawRecord> records, PunchOptions? options = null, int? dedupeDays = null)
    {
        var tally = new ImportTally();
        var punches = new PunchImporter(options ?? new PunchOptions(), Records.Now(), dedupeDays: dedupeDays)
            .ReadBatches(records, tally, CancellationToken.None).SelectMany(batch => batch.Punches).ToList();
        return (punches, tally.ToSummary("f", "csv", "UTF-8", null));
    }

    [Theory]
    [InlineData("2025-06-02 08:57", true)]
    [InlineData("2025/6/2 8:57", true)]
    [InlineData("2025-06-02T08:57+08:00", true)]
    [InlineData("2025-06-02 08:57:31", false)]
    [InlineData("2025-06-02 08:57:00", false)]
    [InlineData("2025-06-02T08:57:31.5+08:00", false)]
    public void The_parser_says_whether_the_time_had_seconds(string text, bool minuteOnly)
    {
        Assert.True(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out var time, out _));
        Assert.Equal(minuteOnly, time.MinuteOnly);
    }

    [Theory]
    [InlineData("08:57", true)]
    [InlineData("8:57", true)]
    [InlineData("08:57:31", false)]
    public void A_split_time_column_says_whether_it_had_seconds(string cell, bool minuteOnly)
    {
        Assert.True(TabularTime.TryParseSplit("2025-06-02", cell, DateOrder.YearMonthDay, out var time, out _));
        Assert.Equal(minuteOnly, time.MinuteOnly);
    }

    [Fact]
    public void A_punchs_flags_and_line_number_never_disturb_each_other()
    {
        Gen.Select(Gen.Long[1, (1L << 56) - 1], Gen.Bool, Gen.Int[0, 2]).Sample((line, minuteOnly, overlapCode) =>
        {
            DstOverlapReading? overlap = overlapCode == 0 ? null : (DstOverlapReading)(overlapCode - 1);
            var punch = new Punch(line, "7", "7", 1, null, null, "a", "b", default) { MinuteOnly = minuteOnly, Overlap = overlap };

            Assert.Equal((line, minuteOnly, overlap), (punch.Line, punch.MinuteOnly, punch.Overlap));
            var moved = punch with { Line = line / 2 + 1 };
            Assert.Equal((line / 2 + 1, minuteOnly, overlap), (moved.Line, moved.MinuteOnly, moved.Overlap));
        });
    }

    [Fact]
    public void A_time_without_seconds_is_posted_at_the_minute_with_the_minute_form_of_its_fingerprint()
    {
        var punch = new PunchNormaliser(new PunchOptions(), Records.Now()).Normalise(MinuteOnly(1, "7", "2025-06-02 08:57")).Punch!;

        Assert.True(punch.MinuteOnly);
        Assert.Equal(Records.Shanghai(2025, 6, 2, 8, 57, 0), punch.CheckTime);
        Assert.Equal(PunchFingerprint.ComputeMinute("clock", "7", punch.CheckTime), punch.Fingerprint);
    }

    [Fact]
    public void In_one_file_a_time_without_seconds_matches_a_punch_of_that_user_within_the_minute()
    {
        RawRecord[] records =
        [
            Records.Punch(1, "7", "2025-06-02 08:57:31"),
            MinuteOnly(2, "7", "2025-06-02 08:57"),
            MinuteOnly(3, "8", "2025-06-02 08:57"),
            MinuteOnly(4, "7", "2025-06-02 08:58"),
            MinuteOnly(5, "7", "2025-06-02 08:58"),
        ];

        var (punches, summary) = Import(records);

        Assert.Equal([1L, 3, 4], punches.Select(punch => punch.Line));
        Assert.Equal((2L, 1L), (summary.Duplicates, summary.MatchedAtMinutePrecision));
    }

    [Fact]
    public void In_one_file_a_time_with_seconds_matches_a_punch_of_that_minute_recorded_without_seconds()
    {
        RawRecord[] records =
        [
            MinuteOnly(1, "7", "2025-06-02 08:57"),
            Records.Punch(2, "7", "2025-06-02 08:57:31"),
            Records.Punch(3, "7", "2025-06-02 08:58:00"),
            Records.Punch(4, "8", "2025-06-02 08:57:31"),
        ];

        var (punches, summary) = Import(records, dedupeDays: 3);

        Assert.Equal([1L, 3, 4], punches.Select(punch => punch.Line));
        Assert.Equal((1L, 1L), (summary.Duplicates, summary.MatchedAtMinutePrecision));
    }

    [Fact]
    public void Two_real_punches_of_one_minute_with_seconds_both_stay()
    {
        RawRecord[] records =
        [
            Records.Punch(1, "7", "2025-06-02 08:57:00"),
            Records.Punch(2, "7", "2025-06-02 08:57:31"),
        ];

        var (punches, summary) = Import(records);

        Assert.Equal(2, punches.Count);
        Assert.Equal(0, summary.Duplicates);
    }

    [Fact]
    public void In_any_mix_of_one_users_minute_a_minute_only_time_stands_for_one_punch_and_never_for_one_known_with_seconds()
    {
        // One user, one minute, times with and without seconds in any order. A minute-only time first: it is the punch
        // and every later time of that minute is it. A time with seconds first: the distinct seconds are the punches and
        // every minute-only time is one of them.
        var gen = Gen.Select(Gen.Int[0, 59], Gen.Bool).Array[1, 8];
        gen.Sample(times =>
        {
            var records = times.Select((time, i) => time.Item2
                ? MinuteOnly(i + 1, "7", "2025-06-02 08:57")
                : Records.Punch(i + 1, "7", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"2025-06-02 08:57:{time.Item1:D2}"))).ToList();

            var (punches, summary) = Import(records);

            Assert.Equal(records.Count, summary.Punches + summary.Duplicates);
            var expected = times[0].Item2 ? 1 : times.Where(time => !time.Item2).Select(time => time.Item1).Distinct().Count();
            Assert.Equal(expected, punches.Count);
        }, iter: 300);
    }

    [Fact]
    public void Two_punches_at_a_wall_time_repeated_by_a_fall_back_both_stay_an_hour_apart()
    {
        var options = new PunchOptions { TimeZone = "Europe/Berlin" };
        RawRecord[] records =
        [
            Records.Punch(1, "7", "2024-10-27 02:30:00"),
            Records.Punch(2, "8", "2024-10-27 02:30:00"),
            Records.Punch(3, "7", "2024-10-27 02:30:00"),
            Records.Punch(4, "7", "2024-10-27 02:30:00"),
            Records.Punch(5, "7", "2024-10-27 03:30:00"),
        ];

        var (punches, summary) = Import(records, options);

        var summer = new DateTimeOffset(2024, 10, 27, 2, 30, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds();
        var winter = new DateTimeOffset(2024, 10, 27, 2, 30, 0, TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        Assert.Equal([(1L, summer), (2, summer), (3, winter), (5, winter + 3600)], punches.Select(punch => (punch.Line, punch.CheckTime)));
        Assert.Equal([DstOverlapReading.Earlier, DstOverlapReading.Earlier, DstOverlapReading.Later, null], punches.Select(punch => punch.Overlap));
        Assert.Equal((3L, 1L, 1L), (summary.DstOverlap, summary.DstOverlapLater, summary.Duplicates));
    }

    [Fact]
    public void A_written_offset_is_never_moved_by_the_overlap_rule()
    {
        var options = new PunchOptions { TimeZone = "Europe/Berlin" };
        RawRecord[] records =
        [
            Records.Punch(1, "7", "2024-10-27 02:30:00", offset: TimeSpan.FromHours(2)),
            Records.Punch(2, "7", "2024-10-27 02:30:00", offset: TimeSpan.FromHours(2)),
        ];

        var (punches, summary) = Import(records, options);

        Assert.Single(punches);
        Assert.Equal((0L, 1L), (summary.DstOverlap, summary.Duplicates));
    }
}
