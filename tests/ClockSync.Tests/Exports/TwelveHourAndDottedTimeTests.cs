using ClockSync.Exports;
using CsCheck;
using static ClockSync.Tests.Exports.ExportTestSupport;
using static System.FormattableString;

namespace ClockSync.Tests.Exports;

/// <summary>
/// The time grammar of issue 18: 上午/下午 (Excel under a Chinese locale) and AM/PM 12-hour times wherever a time of
/// day is read, and dotted dates read day-first.
/// </summary>
public sealed class TwelveHourAndDottedTimeTests
{
    public static TheoryData<string, DateTime> TwelveHourTexts() => new()
    {
        { "2026/11/2 上午 8:57:31", Local(2026, 11, 2, 8, 57, 31) },
        { "2026/11/2 下午 1:05:10", Local(2026, 11, 2, 13, 5, 10) },
        { "2026/11/2 上午 12:05:00", Local(2026, 11, 2, 0, 5, 0) },
        { "2026/11/2 下午 12:05:00", Local(2026, 11, 2, 12, 5, 0) },
        { "2026/11/2 上午 0:05", Local(2026, 11, 2, 0, 5, 0) },
        { "2026/11/2 下午 13:05", Local(2026, 11, 2, 13, 5, 0) },
        { "2026/11/2上午8:57", Local(2026, 11, 2, 8, 57, 0) },
        { "2026-11-02  下午  11:59:59", Local(2026, 11, 2, 23, 59, 59) },
        { "2026/11/2 8:57:31 下午", Local(2026, 11, 2, 20, 57, 31) },
        { "2026/11/2 8:57:31 AM", Local(2026, 11, 2, 8, 57, 31) },
        { "2026/11/2 12:00 AM", Local(2026, 11, 2, 0, 0, 0) },
        { "2026/11/2 12:00 PM", Local(2026, 11, 2, 12, 0, 0) },
        { "2026/11/2 1:05PM", Local(2026, 11, 2, 13, 5, 0) },
        { "2026/11/2 1:05 p.m.", Local(2026, 11, 2, 13, 5, 0) },
        { "2026/11/2 1:05 am", Local(2026, 11, 2, 1, 5, 0) },
    };

    [Theory]
    [MemberData(nameof(TwelveHourTexts))]
    public void Reads_twelve_hour_times_with_either_marker(string text, DateTime expected)
    {
        Assert.True(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out var time, out var problem), problem);
        // A time written without seconds is marked minute-only (for minute-precision matching).
        var minuteOnly = System.Text.RegularExpressions.Regex.Count(text, ":") == 1;
        Assert.Equal(new ExportTime(expected, null) { MinuteOnly = minuteOnly }, time);
    }

    [Theory]
    [InlineData("上午 8:57:31", 8, 57, 31)]
    [InlineData("下午 1:05", 13, 5, 0)]
    [InlineData("上午12:30", 0, 30, 0)]
    [InlineData("11:59 PM", 23, 59, 0)]
    public void Reads_a_marked_time_of_day_alone(string text, int hour, int minute, int second)
    {
        Assert.True(ExportTimeParser.TryParseTimeOfDay(text, out var timeOfDay, out var problem), problem);
        Assert.Equal(new TimeOnly(hour, minute, second), timeOfDay);
    }

    [Theory]
    [InlineData("02.11.2026 08:57", DateOrder.YearMonthDay)]
    [InlineData("02.11.2026 08:57", DateOrder.MonthDayYear)]
    [InlineData("2.11.2026 08:57", DateOrder.DayMonthYear)]
    [InlineData("2026.11.02 08:57", DateOrder.MonthDayYear)]
    public void Reads_dotted_dates_day_first_whatever_the_configured_order(string text, DateOrder order)
    {
        Assert.True(ExportTimeParser.TryParse(text, order, out var time, out var problem), problem);
        Assert.Equal(Local(2026, 11, 2, 8, 57, 0), time.Local);
    }

    [Theory]
    [InlineData("02/11/2026 08:57")]
    [InlineData("02-11-2026 08:57")]
    public void Slashed_and_dashed_day_first_dates_stay_ambiguous_without_configuration(string text)
    {
        Assert.False(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out _, out var problem));
        Assert.Contains("ambiguous", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dotted_date_that_is_not_a_day_first_calendar_date_is_rejected()
    {
        Assert.False(ExportTimeParser.TryParseDate("11.13.2026", DateOrder.MonthDayYear, out _, out var problem));
        Assert.Contains("calendar date", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_minute_of_a_day_round_trips_through_上午_and_下午()
    {
        for (var minuteOfDay = 0; minuteOfDay < 24 * 60; minuteOfDay++)
        {
            var expected = new TimeOnly(minuteOfDay / 60, minuteOfDay % 60);
            var text = ChineseTwelveHour(expected, withSeconds: false);

            Assert.True(ExportTimeParser.TryParseTimeOfDay(text, out var timeOfDay, out var problem), $"{text}: {problem}");
            Assert.Equal(expected, timeOfDay);
        }
    }

    [Fact]
    public void Any_time_written_as_Excel_writes_it_under_a_Chinese_or_English_locale_parses_back()
    {
        var dates = Gen.Date[new DateTime(2022, 1, 1), new DateTime(2099, 12, 31)].Select(DateOnly.FromDateTime);
        var times = Gen.Int[0, (24 * 3600) - 1].Select(second => TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(second)));
        var styles = Gen.Int[0, 5];
        var separators = Gen.OneOf(" ", "  ", "\t");

        Gen.Select(dates, times, styles, separators).Sample((date, time, style, separator) =>
        {
            var dateText = style % 2 == 0 ? Invariant($"{date.Year}/{date.Month}/{date.Day}") : Invariant($"{date:yyyy-MM-dd}");
            var timeText = style switch
            {
                0 or 1 => ChineseTwelveHour(time, withSeconds: true),
                2 => ChineseTwelveHour(time, withSeconds: true).Replace(" ", string.Empty, StringComparison.Ordinal),
                3 => EnglishTwelveHour(time, "AM", "PM"),
                4 => EnglishTwelveHour(time, "a.m.", "p.m."),
                _ => EnglishTwelveHour(time, "am", "pm"),
            };
            var text = dateText + separator + timeText;

            Assert.True(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out var parsed, out var problem), $"{text}: {problem}");
            Assert.Equal(date.ToDateTime(time), parsed.Local);
            Assert.Null(parsed.Offset);
        }, iter: 5000);
    }

    /// <summary>As Excel's Chinese <c>上午/下午 h:mm[:ss]</c> format writes it: hours 1–12, not zero-padded.</summary>
    private static string ChineseTwelveHour(TimeOnly time, bool withSeconds) =>
        Invariant($"{(time.Hour < 12 ? "上午" : "下午")} {TwelveHour(time.Hour)}:{time.Minute:00}") + (withSeconds ? Invariant($":{time.Second:00}") : string.Empty);

    private static string EnglishTwelveHour(TimeOnly time, string am, string pm) =>
        Invariant($"{TwelveHour(time.Hour)}:{time.Minute:00}:{time.Second:00} {(time.Hour < 12 ? am : pm)}");

    private static int TwelveHour(int hour) => hour % 12 == 0 ? 12 : hour % 12;
}
