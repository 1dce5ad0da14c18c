using ClockSync.Exports;
using ClockSync.Exports.Delimited;
using static ClockSync.Tests.Exports.DelimitedTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class DelimitedParsingTests
{
    [Theory]
    [InlineData(',')]
    [InlineData('\t')]
    [InlineData(';')]
    public void Each_delimiter_is_detected_from_the_header(char delimiter)
    {
        var d = delimiter.ToString();
        var records = Read(
            string.Join(d, "工号", "姓名", "打卡时间", "设备名称") + "\r\n" +
            string.Join(d, "7", "\"Li, Lei; \t\"", "2025-06-02 08:57:31", "Door 1") + "\r\n");

        AssertOneRecordPerLine(records, 2);
        Assert.Equal(new RawRecord
        {
            Line = 2, Kind = RawRecordKind.Punch, UserKey = "7", Time = new ExportTime(At(2025, 6, 2, 8, 57, 31), null),
            Name = "Li, Lei;", Device = "Door 1",
        }, records[1]);
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_and_doubled_quotes()
    {
        var punch = SinglePunch(Read("PIN,Name,Time,Device\n\"7\",\"Lei, \"\"Li\"\"\",\"2025-06-02 08:57:31\",\"\"\n"));

        Assert.Equal("7", punch.UserKey);
        Assert.Equal("Lei, \"Li\"", punch.Name);
        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
        Assert.Null(punch.Device);
    }

    [Fact]
    public void A_quoted_field_with_line_breaks_is_one_record_numbered_by_its_first_line()
    {
        var records = Read("PIN,Name,Time\n7,\"Li\nLei\",2025-06-02 08:57:31\n8,\"Han\r\n\r\nMei\",2025-06-02 08:58:00\n9,Wu,2025-06-02 08:59:00\n");

        Assert.Equal([1L, 2, 4, 7], records.Select(r => r.Line));
        Assert.Equal("Li\nLei", records[1].Name);
        Assert.Equal("Han\r\n\r\nMei", records[2].Name);
        Assert.Equal("9", records[3].UserKey);
    }

    [Fact]
    public void Stray_quotes_inside_unquoted_fields_are_taken_literally()
    {
        var records = Read("PIN,Name,Time,Device\n7,Li \"Lei\",2025-06-02 08:57:31,Door \"A\nB\"\n8,\"Han\"mei,2025-06-02 08:58:00,x\n");

        // The quote after "Door " opens nothing, so the line break ends the record and B" is a line of its own.
        AssertOneRecordPerLine(records, 4);
        Assert.Equal("Li \"Lei\"", records[1].Name);
        Assert.Equal("Door \"A", records[1].Device);
        Assert.Equal(RawRecord.Rejected(3, "time", "time is empty"), records[2]);
        Assert.Equal("Hanmei", records[3].Name);
    }

    [Fact]
    public void An_unclosed_quote_rejects_its_own_line_and_reading_goes_on()
    {
        var records = Read("PIN,Name,Time\n7,Li,2025-06-02 08:57:31\n8,\"Han,2025-06-02 08:58:00\n9,Wu,2025-06-02 08:59:00\n10,Xu,2025-06-02 09:00:00");

        AssertOneRecordPerLine(records, 5);
        Assert.Equal(RawRecord.Rejected(3, "line", records[2].Reason!), records[2]);
        Assert.Contains("never closed", records[2].Reason, StringComparison.Ordinal);
        Assert.Equal(["7", "9", "10"], records.Where(r => r.Kind == RawRecordKind.Punch).Select(r => r.UserKey));
    }

    [Fact]
    public void An_unclosed_quote_that_runs_past_the_limit_does_not_swallow_the_lines_after_it()
    {
        var good = Enumerable.Range(100, 40).Select(i => $"{i},Name {i},2025-06-02 08:00:00\n");
        var text = "PIN,Name,Time\n7,\"Li,2025-06-02 08:57:31\n" + string.Concat(good) + "8,\"Han\",2025-06-02 09:00:00\n";

        var records = Read(text, maxRecordChars: 256);

        AssertOneRecordPerLine(records, 43);
        Assert.Equal(RawRecordKind.Rejected, records[1].Kind);
        Assert.Equal("line", records[1].Field);
        Assert.Equal(41, records.Count(r => r.Kind == RawRecordKind.Punch));
        Assert.Equal("Han", records[42].Name);
    }

    [Fact]
    public void An_over_long_line_is_rejected_without_losing_its_neighbours()
    {
        var huge = new string('x', 200_000);
        var records = Read($"PIN,Name,Time\r\n7,Li,2025-06-02 08:57:31\r\n8,{huge},2025-06-02 08:58:00\r\n9,Wu,2025-06-02 08:59:00\r\n");

        AssertOneRecordPerLine(records, 4);
        Assert.Equal(RawRecord.Rejected(3, "line", "line is longer than 65536 characters"), records[2]);
        Assert.Equal("9", records[3].UserKey);
    }

    [Fact]
    public void An_over_long_quoted_field_is_rejected_and_its_line_skipped()
    {
        var huge = new string('x', 5_000);
        var records = Read($"PIN,Name,Time\n7,\"{huge}\",2025-06-02 08:58:00\n9,Wu,2025-06-02 08:59:00", maxRecordChars: 1024);

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(RawRecordKind.Rejected, records[1].Kind);
        Assert.Equal("line", records[1].Field);
        Assert.Equal("9", records[2].UserKey);
    }

    [Fact]
    public void An_over_long_title_line_is_skipped_before_the_header()
    {
        var records = Read($"{new string('=', 3_000)}\nPIN,Time\n7,2025-06-02 08:57:31\n", maxRecordChars: 1024);

        AssertOneRecordPerLine(records, 3);
        Assert.Equal([RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch], records.Select(r => r.Kind));
    }

    [Fact]
    public void Records_spanning_buffer_refills_are_read_whole()
    {
        var lines = Enumerable.Range(1, 5_000).Select(i => $"{i},\"Name \"\"{i}\"\"\",2025-06-02 08:00:00,Door {i % 7}\r\n");

        var records = Read("PIN,Name,Time,Device\r\n" + string.Concat(lines), maxRecordChars: 64);

        AssertOneRecordPerLine(records, 5_001);
        Assert.Equal(5_000, records.Count(r => r.Kind == RawRecordKind.Punch));
        Assert.Equal("Name \"4321\"", records[4321].Name);
        Assert.Equal("Door 2", records[5_000].Device);
    }

    [Fact]
    public void Short_rows_and_empty_trailing_columns_are_read()
    {
        var records = Read("PIN,Time,Device,Status,Name\n7,2025-06-02 08:57:31\n8,2025-06-02 08:58:00,,,\n9,2025-06-02 08:59:00,D1,,Wu,,,\n");

        AssertOneRecordPerLine(records, 4);
        Assert.All(records.Skip(1), r => Assert.Equal(RawRecordKind.Punch, r.Kind));
        Assert.Null(records[1].Device);
        Assert.Null(records[2].Name);
        Assert.Equal("D1", records[3].Device);
        Assert.Null(records[3].Direction);
        Assert.Equal("Wu", records[3].Name);
    }

    [Fact]
    public void A_row_too_short_to_hold_the_time_is_rejected()
    {
        var records = Read("Name,PIN,Time\nLi,7\n");

        Assert.Equal(RawRecord.Rejected(2, "time", "time is empty"), records[1]);
    }

    [Fact]
    public void Blank_lines_and_empty_rows_are_skipped()
    {
        var records = Read("PIN,Time\n\n7,2025-06-02 08:57:31\n , \n,,,\r\n\r\n8,2025-06-02 08:58:00");

        AssertOneRecordPerLine(records, 7);
        Assert.Equal(
            [RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch],
            records.Select(r => r.Kind));
    }

    [Theory]
    [InlineData("'0007", "7")]
    [InlineData(" '0007 ", "7")]
    [InlineData("\"'0007\"", "7")]
    [InlineData("  A1034  ", "A1034")]
    [InlineData("0007", "7")]
    [InlineData("A0007", "A0007")]
    public void User_keys_are_trimmed_lose_a_leading_apostrophe_and_the_zero_padding_of_digits(string cell, string expected)
    {
        var punch = SinglePunch(Read($"Person ID,Time\n{cell},2025-06-02 08:57:31\n"));

        Assert.Equal(expected, punch.UserKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("'")]
    public void An_empty_user_key_is_rejected_as_field_user(string cell)
    {
        var records = Read($"PIN,Time,Name\n{cell},2025-06-02 08:57:31,Li\n");

        Assert.Equal(RawRecord.Rejected(2, "user", "user key is empty"), records[1]);
    }

    [Theory]
    [InlineData("", "time is empty")]
    [InlineData("yesterday", "time \"yesterday\" is not a date-time")]
    [InlineData("2025-13-02 08:00:00", "time \"2025-13-02 08:00:00\" is not a valid calendar date")]
    [InlineData("2025-06-02", "time \"2025-06-02\" has a date but no time of day")]
    [InlineData("02/06/2025 08:00", "time \"02/06/2025 08:00\" has an ambiguous day/month order (set the date order in configuration)")]
    public void A_bad_time_is_rejected_as_field_time_naming_the_value(string cell, string reason)
    {
        var records = Read($"PIN,Time\n7,{cell}\n");

        Assert.Equal(RawRecord.Rejected(2, "time", reason), records[1]);
    }

    [Fact]
    public void A_long_bad_time_is_cut_in_the_reason()
    {
        var records = Read($"PIN,Time\n7,{new string('9', 100)}\u0001\n");

        Assert.Equal($"time \"{new string('9', 40)}…\" is not a date-time", records[1].Reason);
    }

    [Fact]
    public void Control_characters_are_not_copied_into_a_reason()
    {
        var records = Read("PIN,Time\n7,08\u0000:00\n");

        Assert.Equal("time \"08?:00\" is not a date-time", records[1].Reason);
    }

    [Theory]
    [InlineData("2025-06-31", "08:00:00", "date \"2025-06-31\" is not a valid calendar date")]
    [InlineData("", "08:00:00", "date is empty")]
    [InlineData("2025-06-02", "25:00", "time \"25:00\" is not a valid time of day")]
    [InlineData("2025-06-02", "", "time is empty")]
    public void A_bad_split_date_or_time_is_rejected_as_field_time(string date, string time, string reason)
    {
        var records = Read($"工号,日期,时间\n7,{date},{time}\n");

        Assert.Equal(RawRecord.Rejected(2, "time", reason), records[1]);
    }

    [Fact]
    public void A_split_time_column_holding_a_full_date_time_is_taken_whole()
    {
        var records = Read("Emp ID,Date,Time\n7,2025-06-01,2025-06-02 08:57:31\n8,2025-06-02 00:00:00,08:58\n");

        Assert.Equal(At(2025, 6, 2, 8, 57, 31), records[1].Time.Local);
        Assert.Equal(At(2025, 6, 2, 8, 58, 0), records[2].Time.Local);
    }

    [Fact]
    public void Day_first_dates_are_read_only_when_configured()
    {
        const string text = "PIN,Time\n7,02/06/2025 08:57\n";

        Assert.Equal(RawRecordKind.Rejected, Read(text)[1].Kind);
        Assert.Equal(At(2025, 6, 2, 8, 57, 0), Read(text, new ExportReadOptions { DateOrder = DateOrder.DayMonthYear })[1].Time.Local);
    }

    [Fact]
    public void An_ISO_offset_is_kept()
    {
        var punch = SinglePunch(Read("PIN,Time\n7,2025-06-02T08:57:31+09:00\n"));

        Assert.Equal(TimeSpan.FromHours(9), punch.Time.Offset);
    }

    [Fact]
    public void Repeated_texts_share_one_instance()
    {
        var records = Read("PIN,Time,Device\n7,2025-06-02 08:57:31,Door 1\n7,2025-06-02 18:00:00,Door 1\n");

        Assert.Same(records[1].UserKey, records[2].UserKey);
        Assert.Same(records[1].Device, records[2].Device);
    }

    [Fact]
    public void Reading_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        using var text = new StringReader("PIN,Time\n7,2025-06-02 08:57:31\n8,2025-06-02 08:58:00\n");
        var records = new DelimitedTextReader().Read(text, ExportReadOptions.Default, cancellation.Token);

        using var enumerator = records.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => enumerator.MoveNext());
    }
}

public sealed class DelimitedLimitTests
{
    [Fact]
    public void A_line_past_the_limit_but_within_the_buffer_is_still_rejected()
    {
        var records = DelimitedTestSupport.Read($"PIN,Name,Time\n7,{new string('x', 1_500)},2025-06-02 08:58:00\n8,Wu,2025-06-02 08:59:00\n", maxRecordChars: 1024);

        DelimitedTestSupport.AssertOneRecordPerLine(records, 3);
        Assert.Equal(RawRecord.Rejected(2, "line", "line is longer than 1024 characters"), records[1]);
        Assert.Equal("8", records[2].UserKey);
    }

    [Fact]
    public void Carriage_returns_alone_end_lines_too()
    {
        var records = DelimitedTestSupport.Read("PIN,Time\r7,2025-06-02 08:57:31\r8,\"2025-06-02 08:58:00\"\r");

        DelimitedTestSupport.AssertOneRecordPerLine(records, 3);
        Assert.Equal(["7", "8"], records.Skip(1).Select(r => r.UserKey));
    }

    [Fact]
    public void The_last_line_needs_no_line_break()
    {
        var records = DelimitedTestSupport.Read("PIN,Time\n7,\"2025-06-02 08:57:31\"");

        DelimitedTestSupport.AssertOneRecordPerLine(records, 2);
        Assert.Equal(RawRecordKind.Punch, records[1].Kind);
    }

    [Fact]
    public void An_empty_text_has_no_header()
    {
        Assert.Throws<NotAClockExportException>(() => DelimitedTestSupport.Read(string.Empty));
    }
}
