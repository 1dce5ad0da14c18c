using ClockSync.Exports;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class ExportTimeParserTests
{
    public static TheoryData<string, DateTime> TimeTextsFromTheField() => new()
    {
        { "2025-06-02 08:57:31", Local(2025, 6, 2, 8, 57, 31) },
        { "2025-06-02 08:57", Local(2025, 6, 2, 8, 57, 0) },
        { "2025/06/02 08:57:31", Local(2025, 6, 2, 8, 57, 31) },
        { "2025/6/2 8:57", Local(2025, 6, 2, 8, 57, 0) },
        { "2025/06/02  08:57:31", Local(2025, 6, 2, 8, 57, 31) },
        { " 2025-06-02 08:57:31 ", Local(2025, 6, 2, 8, 57, 31) },
        { "2025-06-02T08:57:31", Local(2025, 6, 2, 8, 57, 31) },
        { "2000-01-01 00:00:00", Local(2000, 1, 1, 0, 0, 0) },
        { "2024-02-29 23:59:59", Local(2024, 2, 29, 23, 59, 59) },
    };

    [Theory]
    [MemberData(nameof(TimeTextsFromTheField))]
    public void Parses_the_time_texts_met_in_exports(string text, DateTime expected)
    {
        Assert.True(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out var time, out var problem), problem);
        Assert.Equal((expected, (TimeSpan?)null), (time.Local, time.Offset));
    }

    [Theory]
    [InlineData("2025-06-02T08:57:31+08:00", 8, 0)]
    [InlineData("2025-06-02T08:57:31-05:30", -5, -30)]
    [InlineData("2025-06-02T08:57:31Z", 0, 0)]
    [InlineData("2025-06-02T08:57:31+0800", 8, 0)]
    public void Keeps_an_ISO_offset(string text, int hours, int minutes)
    {
        Assert.True(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out var time, out _));
        Assert.Equal(Local(2025, 6, 2, 8, 57, 31), time.Local);
        Assert.Equal(new TimeSpan(hours, minutes, 0), time.Offset);
    }

    [Fact]
    public void Keeps_fractional_seconds()
    {
        Assert.True(ExportTimeParser.TryParse("2025-06-02 08:57:31.250", DateOrder.YearMonthDay, out var time, out _));
        Assert.Equal(Local(2025, 6, 2, 8, 57, 31).AddMilliseconds(250), time.Local);
    }

    [Theory]
    [InlineData(DateOrder.DayMonthYear, "02/06/2025 08:57")]
    [InlineData(DateOrder.MonthDayYear, "06/02/2025 08:57")]
    [InlineData(DateOrder.DayMonthYear, "02-06-2025 08:57")]
    public void Reads_day_or_month_first_only_when_configured(DateOrder order, string text)
    {
        Assert.False(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out _, out var problem));
        Assert.Contains("ambiguous", problem, StringComparison.Ordinal);
        Assert.True(ExportTimeParser.TryParse(text, order, out var time, out _));
        Assert.Equal(Local(2025, 6, 2, 8, 57, 0), time.Local);
    }

    [Fact]
    public void A_year_first_date_stays_year_first_whatever_the_configured_order()
    {
        Assert.True(ExportTimeParser.TryParse("2025/06/02 08:57", DateOrder.MonthDayYear, out var time, out _));
        Assert.Equal(Local(2025, 6, 2, 8, 57, 0), time.Local);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("2025-06-02", "no time of day")]
    [InlineData("2025-02-29 08:00", "calendar date")]
    [InlineData("2025-02-29 08:00:00", "calendar date")]
    [InlineData("0000-01-01 00:00:00", "calendar date")]
    [InlineData("2025-06-02 23:59:60", "valid time")]
    [InlineData("2025-06-02 0a:00:00", "time of day")]
    [InlineData("2025-06-02 24:00", "valid time")]
    [InlineData("2025-06-02 08:60", "valid time")]
    [InlineData("2025-06-02 8:5", "time of day")]
    [InlineData("2025-06-02 08:57:31 XM", "unexpected text")]
    [InlineData("2025-06-02 08:57:31 PM+08:00", "unexpected text")]
    [InlineData("2025-06-02 13:57:31 AM", "12-hour")]
    [InlineData("2025-06-02 上午 13:57", "12-hour")]
    [InlineData("2025-06-02 下午 0:57", "12-hour")]
    [InlineData("2025-06-02 下午 24:00", "12-hour")]
    [InlineData("2025-06-02 上午", "time of day")]
    [InlineData("2025-06-02 上午 下午 8:57", "time of day")]
    [InlineData("2025-06-02 8:57 PMs", "unexpected text")]
    [InlineData("2025-06-02 08:57:31+15:00", "unexpected text")]
    [InlineData("20250602 085731", "not a date-time")]
    [InlineData("2025-06/02 08:57", "not a date-time")]
    [InlineData("yesterday", "not a date-time")]
    [InlineData("2025-06-02\u00A008:57", "not a date-time")]
    public void Says_why_a_text_is_not_a_time(string text, string expected)
    {
        Assert.False(ExportTimeParser.TryParse(text, DateOrder.YearMonthDay, out var time, out var problem));
        Assert.Equal(default, time);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_split_date_and_time_columns()
    {
        Assert.True(ExportTimeParser.TryParseDate("2025/6/2", DateOrder.YearMonthDay, out var date, out _));
        Assert.Equal(new DateOnly(2025, 6, 2), date);
        Assert.True(ExportTimeParser.TryParseTimeOfDay("8:57:31", out var timeOfDay, out _));
        Assert.Equal(new TimeOnly(8, 57, 31), timeOfDay);
        Assert.False(ExportTimeParser.TryParseDate("2025/6/2 08:00", DateOrder.YearMonthDay, out _, out _));
        Assert.False(ExportTimeParser.TryParseTimeOfDay("08:57+08:00", out _, out var problem));
        Assert.Contains("offset", problem, StringComparison.Ordinal);
    }
}
