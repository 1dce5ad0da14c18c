using ClockSync.Exports;
using ClockSync.Exports.Delimited;
using static ClockSync.Tests.Exports.DelimitedTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class DelimitedHeaderTests
{
    [Theory]
    [InlineData("工号")]
    [InlineData("员工工号")]
    [InlineData("人员编号")]
    [InlineData("登记号码")]
    [InlineData("考勤号码")]
    [InlineData("打卡工号")]
    [InlineData("No.")]
    [InlineData("PIN")]
    [InlineData("USERID")]
    [InlineData("Badgenumber")]
    [InlineData("Person ID")]
    [InlineData("EnNo")]
    [InlineData("Emp ID")]
    [InlineData("AC-No.")]
    [InlineData("emp_code")]
    [InlineData("pin")]
    [InlineData("ＰＩＮ")]
    [InlineData("  Person   ID ")]
    public void Every_user_key_alias_is_recognised(string header)
    {
        var records = Read($"{header},打卡时间\n0042,2025-06-02 08:57:31\n");

        AssertOneRecordPerLine(records, 2);
        Assert.Equal(RawRecordKind.Skipped, records[0].Kind);
        var punch = SinglePunch(records);
        Assert.Equal("42", punch.UserKey);
        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
    }

    [Theory]
    [InlineData("打卡时间")]
    [InlineData("签到时间")]
    [InlineData("日期时间")]
    [InlineData("时间")]
    [InlineData("CHECKTIME")]
    [InlineData("Date/Time")]
    [InlineData("DateTime")]
    [InlineData("Time")]
    [InlineData("Punch Time")]
    [InlineData("punch_time")]
    [InlineData("checktime")]
    public void Every_time_alias_is_recognised(string header)
    {
        var records = Read($"PIN,{header}\n7,2025/6/2 8:57\n");

        AssertOneRecordPerLine(records, 2);
        var punch = SinglePunch(records);
        Assert.Equal("7", punch.UserKey);
        Assert.Equal(At(2025, 6, 2, 8, 57, 0), punch.Time.Local);
    }

    [Theory]
    [InlineData("考勤机号")]
    [InlineData("机器号")]
    [InlineData("设备")]
    [InlineData("设备名称")]
    [InlineData("DeviceID")]
    [InlineData("Mchn")]
    [InlineData("TMNo")]
    [InlineData("sn")]
    [InlineData("Serial Number")]
    [InlineData("terminal_sn")]
    [InlineData("Attendance Check Point")]
    public void Every_device_alias_is_recognised(string header)
    {
        var punch = SinglePunch(Read($"工号,打卡时间,{header}\n7,2025-06-02 08:57:31, Door 1 \n"));

        Assert.Equal("Door 1", punch.Device);
        Assert.Null(punch.Direction);
        Assert.Null(punch.Name);
    }

    [Theory]
    [InlineData("状态")]
    [InlineData("考勤状态")]
    [InlineData("CHECKTYPE")]
    [InlineData("Status")]
    [InlineData("Attendance Status")]
    [InlineData("punch_state")]
    [InlineData("Punch State")]
    [InlineData("State")]
    public void Every_direction_alias_is_recognised(string header)
    {
        var punch = SinglePunch(Read($"工号,打卡时间,{header}\n7,2025-06-02 08:57:31,Check In\n"));

        Assert.Equal("Check In", punch.Direction);
        Assert.Null(punch.Device);
    }

    [Theory]
    [InlineData("姓名", "李雷")]
    [InlineData("Name", "Li Lei")]
    [InlineData("First Name", "Li")]
    public void Every_name_alias_is_recognised(string header, string name)
    {
        var punch = SinglePunch(Read($"工号,{header},打卡时间\n7,{name},2025-06-02 08:57:31\n"));

        Assert.Equal(name, punch.Name);
    }

    [Fact]
    public void Date_and_time_columns_are_combined_in_a_ZkBioTime_export()
    {
        var records = Read(
            "Emp ID,First Name,Department,Date,Time,Punch State,Area,Serial Number\n" +
            "1001,Li,R&D,2025-06-02,08:57:31,Check In,HQ,CKJ4212345\n" +
            "1002,Han,R&D,2025/6/2,9:02,Check Out,HQ,CKJ4212345\n");

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(new RawRecord
        {
            Line = 2, Kind = RawRecordKind.Punch, UserKey = "1001", Time = new ExportTime(At(2025, 6, 2, 8, 57, 31), null),
            Device = "CKJ4212345", Direction = "Check In", Name = "Li",
        }, records[1]);
        Assert.Equal(At(2025, 6, 2, 9, 2, 0), records[2].Time.Local);
    }

    [Fact]
    public void Chinese_date_and_time_columns_are_combined()
    {
        var punch = SinglePunch(Read("工号,姓名,部门,日期,时间,考勤机号\n7,张三,研发,2025-06-02,18:00:05,2\n"));

        Assert.Equal(At(2025, 6, 2, 18, 0, 5), punch.Time.Local);
        Assert.Equal("张三", punch.Name);
        Assert.Equal("2", punch.Device);
    }

    [Fact]
    public void A_lone_Time_column_holds_the_whole_date_time()
    {
        var punch = SinglePunch(Read("AC-No.,Name,Time,State\n7,Li Lei,2025-06-02 08:57:31,C/In\n"));

        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
        Assert.Equal("C/In", punch.Direction);
    }

    [Fact]
    public void A_full_date_time_column_wins_over_date_and_time_columns()
    {
        var punch = SinglePunch(Read("工号,日期,时间,打卡时间\n7,2025-01-01,01:01:01,2025-06-02 08:57:31\n"));

        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
    }

    [Fact]
    public void The_enrol_number_wins_over_a_row_counter_named_No()
    {
        var punch = SinglePunch(Read("No\tMchn\tEnNo\t\tName\t\tMode\tIOMd\tDateTime\t\n000001\t1\t000000007\t\tLi Lei\t\t1\t0\t2025/06/02  08:57:31\t\n"));

        Assert.Equal("7", punch.UserKey);
        Assert.Equal("1", punch.Device);
        Assert.Equal("Li Lei", punch.Name);
        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
    }

    [Fact]
    public void The_badge_number_wins_over_the_internal_user_id()
    {
        var punch = SinglePunch(Read("USERID,Badgenumber,CHECKTIME,CHECKTYPE,SENSORID\n12,7,2025-06-02 08:57:31,I,1\n"));

        Assert.Equal("7", punch.UserKey);
        Assert.Equal("I", punch.Direction);
        Assert.Equal("1", punch.Device);
    }

    [Fact]
    public void Title_rows_above_the_header_are_skipped()
    {
        var records = Read(
            "Attendance Record Report\n" +
            "\"2025-06-01 00:00:00 ~ 2025-06-30 23:59:59\",,,,,\n" +
            "\n" +
            "Person ID,Name,Department,Time,Attendance Status,Attendance Check Point\n" +
            "'0007,Li Lei,R&D,2025-06-02 08:57:31,Check-in,Door 1\n" +
            "'0018,Han Meimei,R&D,2025-06-02 18:01:02,Check-out,Door 2\n");

        AssertOneRecordPerLine(records, 6);
        Assert.All(records.Take(4), r => Assert.Equal(RawRecordKind.Skipped, r.Kind));
        Assert.Equal(["7", "18"], records.Skip(4).Select(r => r.UserKey));
        Assert.Equal("Door 2", records[5].Device);
        Assert.Equal("Check-out", records[5].Direction);
    }

    [Fact]
    public void A_header_repeated_further_down_is_skipped_not_rejected()
    {
        var records = Read("工号,打卡时间\n7,2025-06-02 08:57:31\n工号,打卡时间\n8,2025-06-02 08:58:00\n");

        AssertOneRecordPerLine(records, 4);
        Assert.Equal(
            [RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Skipped, RawRecordKind.Punch],
            records.Select(r => r.Kind));
    }

    [Fact]
    public void Explicit_columns_read_a_header_the_aliases_do_not_know()
    {
        var options = new ExportReadOptions
        {
            Columns = new ColumnMapping { UserKey = "Badge", Time = "When", Device = "Where", Name = "Who", Direction = "Way" },
        };

        var records = Read("Badge;Who;When;Where;Way\n7;Li;2025-06-02 08:57:31;Gate;in\n", options);

        AssertOneRecordPerLine(records, 2);
        Assert.Equal(new RawRecord
        {
            Line = 2, Kind = RawRecordKind.Punch, UserKey = "7", Time = new ExportTime(At(2025, 6, 2, 8, 57, 31), null),
            Device = "Gate", Direction = "in", Name = "Li",
        }, records[1]);
    }

    [Fact]
    public void An_explicit_column_overrides_the_alias_of_its_role()
    {
        var options = new ExportReadOptions { Columns = new ColumnMapping { UserKey = "Card" } };

        var punch = SinglePunch(Read("PIN,Card,Time\n12,0007,2025-06-02 08:57:31\n", options));

        Assert.Equal("7", punch.UserKey);
    }

    [Fact]
    public void Explicit_date_and_time_of_day_columns_are_combined()
    {
        var options = new ExportReadOptions
        {
            Columns = new ColumnMapping { UserKey = "Mitarbeiter", Date = "Tag", TimeOfDay = "Uhrzeit" },
        };

        var punch = SinglePunch(Read("Mitarbeiter;Tag;Uhrzeit\n7;02.06.2025;08:57:31\n", options with { DateOrder = DateOrder.DayMonthYear }));

        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
    }

    [Fact]
    public void A_configured_column_that_is_missing_means_no_header()
    {
        var options = new ExportReadOptions { Columns = new ColumnMapping { Device = "Terminal" } };

        var error = Assert.Throws<NotAClockExportException>(() => Read("PIN,Time\n7,2025-06-02 08:57:31\n", options));

        Assert.Contains("configured columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_header_the_text_is_not_a_clock_export()
    {
        var error = Assert.Throws<NotAClockExportException>(() => Read("7,2025-06-02 08:57:31\n8,2025-06-02 08:58:00\n"));

        Assert.Contains("no header row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_must_be_within_the_first_64_lines()
    {
        var titles = string.Concat(Enumerable.Repeat("title\n", 64));

        Assert.Throws<NotAClockExportException>(() => Read(titles + "PIN,Time\n7,2025-06-02 08:57:31\n"));
        Assert.Equal(64, Read(string.Concat(Enumerable.Repeat("title\n", 63)) + "PIN,Time\n7,2025-06-02 08:57:31\n").Count(r => r.Kind == RawRecordKind.Skipped));
    }

    [Fact]
    public void A_header_needs_a_user_key_and_a_time()
    {
        Assert.Throws<NotAClockExportException>(() => Read("Name,Time\nLi,2025-06-02 08:57:31\n"));
        Assert.Throws<NotAClockExportException>(() => Read("PIN,Name,Date\n7,Li,2025-06-02\n"));
    }

    [Theory]
    [InlineData("PIN,Time", true)]
    [InlineData("工号\t日期\t时间", true)]
    [InlineData("Person ID;Name;Time", true)]
    [InlineData("PIN,Name", false)]
    [InlineData("7\t2025-06-02 08:57:31\t1\t0\t1\t0", false)]
    public void CanRead_looks_for_a_header_among_the_first_lines(string header, bool expected)
    {
        string[] lines = ["Attendance Report", "", header, "7,2025-06-02 08:57:31"];

        Assert.Equal(expected, DelimitedTextReader.CanRead(lines, ExportReadOptions.Default));
    }

    [Fact]
    public void CanRead_honours_explicit_columns()
    {
        var options = new ExportReadOptions { Columns = new ColumnMapping { UserKey = "Badge", Time = "When" } };

        Assert.True(DelimitedTextReader.CanRead(["Badge,When"], options));
        Assert.False(DelimitedTextReader.CanRead(["Badge,When"], ExportReadOptions.Default));
    }
}
