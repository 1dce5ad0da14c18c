using System.Text;
using ClockSync.Exports;
using ClockSync.Punches;
using static ClockSync.Tests.Exports.ExportTestSupport;
using static ClockSync.Tests.Exports.LayoutTestSupport;

namespace ClockSync.Tests.Exports;

/// <summary>
/// The layouts Chinese offices' clock software and Excel produce (issue 18), each read from a small file through
/// <see cref="ExportFileReader"/> in UTF-8 with and without a BOM and in GB18030, with the import's accounting checked:
/// <c>lines = skipped + punches + duplicates + rejected</c>, where a line holding several punches counts once per punch.
/// </summary>
public sealed class FieldLayoutTests
{
    public static TheoryData<string> Encodings => new() { "UTF-8", "UTF-8 (BOM)", "GB18030" };

    private static byte[] Encode(string text, string encoding)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return encoding switch
        {
            "UTF-8" => Bytes(text),
            "UTF-8 (BOM)" => [0xEF, 0xBB, 0xBF, .. Bytes(text)],
            _ => Encoding.GetEncoding("GB18030").GetBytes(text),
        };
    }

    /// <summary>Opens the file as the pipeline does, checks encoding and format, and returns its records and summary.</summary>
    private static (List<RawRecord> Records, ImportSummary Summary) Import(string text, string encoding, ExportReadOptions? options = null)
    {
        var content = Encode(text, encoding);
        var (export, records, summary) = LayoutTestSupport.ImportAccounted(content, "export.csv", options);
        Assert.Equal((ExportFormat.Delimited, encoding), (export.Format, export.Encoding));
        return (records, summary);
    }

    private static List<(string? User, DateTime Time)> Punches(IEnumerable<RawRecord> records) =>
        [.. records.Where(r => r.Kind == RawRecordKind.Punch).Select(r => (r.UserKey, r.Time.Local))];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Excel_Chinese_上午_下午_times_are_read(string encoding)
    {
        var (records, summary) = Import(
            "工号,姓名,打卡时间\r\n" +
            "7,李雷,2026/11/2 上午 8:57:31\r\n" +
            "7,李雷,2026/11/2 下午 1:05:10\r\n" +
            "8,韩梅梅,2026/11/2 上午 12:03:00\r\n" +
            "8,韩梅梅,2026/11/2 下午 12:30:00\r\n",
            encoding);

        Assert.Equal(
            [("7", On2November(8, 57, 31)), ("7", On2November(13, 5, 10)), ("8", On2November(0, 3)), ("8", On2November(12, 30))],
            Punches(records));
        Assert.Equal((5, 1, 4, 0L), (summary.Lines, summary.Skipped, summary.Punches, summary.Rejected));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_ZkBioTime_export_with_Employee_ID_Punch_Date_and_AM_PM_Punch_Time_is_read(string encoding)
    {
        var (records, summary) = Import(
            "Employee ID,First Name,Department,Punch Date,Punch Time,Punch State\n" +
            "1001,Li,研发,2026-11-02,8:57:31 AM,Check In\n" +
            "1001,Li,研发,2026-11-02,5:30:02 PM,Check Out\n",
            encoding);

        Assert.Equal([("1001", On2November(8, 57, 31)), ("1001", On2November(17, 30, 2))], Punches(records));
        Assert.Equal("Check Out", records[2].Direction);
        Assert.Equal(2, summary.Punches);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_date_column_and_a_打卡时间_column_holding_only_the_time_are_combined(string encoding)
    {
        var (records, summary) = Import(
            "工号,姓名,日期,打卡时间\n" +
            "7,李雷,2026-11-02,08:57:31\n" +
            "7,李雷,2026/11/2,下午 6:05\n" +
            "8,韩梅梅,2026-11-02,2026-11-02 09:01:00\n",
            encoding);

        Assert.Equal([("7", On2November(8, 57, 31)), ("7", On2November(18, 5)), ("8", On2November(9, 1))], Punches(records));
        Assert.Equal((4, 3), (summary.Lines, summary.Punches));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Several_punches_in_one_cell_are_one_punch_each_counted_and_rejected_on_their_own(string encoding)
    {
        var (records, summary) = Import(
            "工号,姓名,日期,打卡时间\n" +
            "7,李雷,2026-11-02,\"08:57 12:01 13:02 18:05\"\n" +
            "8,韩梅梅,2026-11-02,\"08:59\n18:10\"\n" +
            "9,王五,2026-11-02,\"09:00,25:61,18:00\"\n" +
            "10,赵六,2026-11-02,\"上午 8:30 下午 5:45\"\n" +
            "11,钱七,2026-11-02,\"08:00 08:00\"\n",
            encoding);

        Assert.Equal(
            [
                ("7", On2November(8, 57)), ("7", On2November(12, 1)), ("7", On2November(13, 2)), ("7", On2November(18, 5)),
                ("8", On2November(8, 59)), ("8", On2November(18, 10)),
                ("9", On2November(9, 0)), ("9", On2November(18, 0)),
                ("10", On2November(8, 30)), ("10", On2November(17, 45)),
                ("11", On2November(8, 0)), ("11", On2November(8, 0)),
            ],
            Punches(records));
        Assert.All(records.Where(r => r.UserKey == "7"), r => Assert.Equal(2, r.Line));
        Assert.All(records.Where(r => r.UserKey == "8"), r => Assert.Equal(3, r.Line));

        var rejected = Assert.Single(records, r => r.Kind == RawRecordKind.Rejected);
        Assert.Equal((5L, "time"), (rejected.Line, rejected.Field));
        Assert.Contains("\"25:61\"", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("time 2 of 3", rejected.Reason, StringComparison.Ordinal);

        // 1 header + 12 times, of which one is rejected and one repeats 08:00 of user 11.
        Assert.Equal((14, 1, 11, 1, 1), (summary.Lines, summary.Skipped, summary.Punches, summary.Duplicates, summary.Rejected));
        Assert.Equal(5, Assert.Single(summary.Rejections).Line);
    }

    [Fact]
    public void A_cell_that_is_simply_bad_is_still_one_rejection()
    {
        var records = DelimitedTestSupport.Read("工号,日期,时间\n7,2026-11-02,2026-11-02 25:00\n8,2026-11-02,later on\n");

        Assert.Equal([RawRecordKind.Skipped, RawRecordKind.Rejected, RawRecordKind.Rejected], records.Select(r => r.Kind));
        Assert.Equal([1L, 2, 3], records.Select(r => r.Line));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_上班_下班_time_card_yields_one_punch_per_filled_slot(string encoding)
    {
        var (records, summary) = Import(
            "工号,姓名,日期,上班1,下班1,上班2,下班2\n" +
            "7,李雷,2026-11-02,08:57,12:01,13:02,18:05\n" +
            "8,韩梅梅,2026-11-02,08:59,,,18:10\n" +
            "9,王五,2026-11-02,,,,\n" +
            "10,赵六,2026-11-02,缺卡,12:00,--,25:00\n",
            encoding);

        Assert.Equal(
            [
                ("7", On2November(8, 57)), ("7", On2November(12, 1)), ("7", On2November(13, 2)), ("7", On2November(18, 5)),
                ("8", On2November(8, 59)), ("8", On2November(18, 10)),
                ("10", On2November(12, 0)),
            ],
            Punches(records));
        Assert.Equal(["上班1", "下班1", "上班2", "下班2", "上班1", "下班2", "下班1"], records.Where(r => r.Kind == RawRecordKind.Punch).Select(r => r.Direction));
        Assert.Equal(RawRecordKind.Skipped, Assert.Single(records, r => r.Line == 4).Kind);
        var rejected = Assert.Single(records, r => r.Kind == RawRecordKind.Rejected);
        Assert.Equal((5L, "time"), (rejected.Line, rejected.Field));
        Assert.StartsWith("下班2 \"25:00\"", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal((10, 2, 7, 1L), (summary.Lines, summary.Skipped, summary.Punches, summary.Rejected));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_签到_签退_time_card_with_dotted_dates_is_read(string encoding)
    {
        var (records, summary) = Import(
            "员工编号,姓名,日期,签到1,签退1,签到2,签退2\n" +
            "0007,李雷,02.11.2026,上午 8:57,下午 12:01,下午 1:02,下午 6:05\n",
            encoding);

        Assert.Equal(
            [("7", On2November(8, 57)), ("7", On2November(12, 1)), ("7", On2November(13, 2)), ("7", On2November(18, 5))],
            Punches(records));
        Assert.Equal(4, summary.Punches);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_第N次_time_card_keyed_by_card_number_is_read(string encoding)
    {
        var (records, summary) = Import(
            "卡号,姓名,考勤日期,第1次,第2次,第3次,第4次,第5次,第6次\n" +
            "12345,李雷,2026/11/2,08:57,12:01,,18:05,,\n",
            encoding);

        Assert.Equal([("12345", On2November(8, 57)), ("12345", On2November(12, 1)), ("12345", On2November(18, 5))], Punches(records));
        Assert.Equal("第4次", records[^1].Direction);
        Assert.Equal(3, summary.Punches);
    }

    [Fact]
    public void A_ZkTime_card_reads_the_punches_not_the_scheduled_hours()
    {
        var records = DelimitedTestSupport.Read(
            "工号,姓名,日期,对应时段,上班时间,下班时间,签到时间,签退时间\n" +
            "7,李雷,2026-11-02,白班,09:00,18:00,08:57,18:05\n");

        Assert.Equal([("7", On2November(8, 57)), ("7", On2November(18, 5))], Punches(records));
        Assert.Equal(["签到时间", "签退时间"], records.Skip(1).Select(r => r.Direction));
    }

    [Fact]
    public void A_DingTalk_daily_card_reads_the_slot_times_and_not_the_results()
    {
        var records = DelimitedTestSupport.Read(
            "姓名,工号,部门,日期,上班1打卡时间,上班1打卡结果,下班1打卡时间,下班1打卡结果\n" +
            "李雷,7,研发,2026-11-02,08:57,正常,未打卡,缺卡\n");

        var punch = Assert.Single(records, r => r.Kind == RawRecordKind.Punch);
        Assert.Equal(("7", On2November(8, 57), "上班1打卡时间"), (punch.UserKey, punch.Time.Local, punch.Direction));
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void A_time_card_repeats_its_header_further_down_without_a_rejection()
    {
        var records = DelimitedTestSupport.Read(
            "工号,日期,上班,下班\n7,2026-11-02,08:57,18:05\n工号,日期,上班,下班\n8,2026-11-02,09:00,18:00\n");

        Assert.Equal([RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Punch, RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Punch], records.Select(r => r.Kind));
    }

    [Theory]
    [InlineData("Employee ID ,Name,Time")]
    [InlineData("员工编号,姓名,时间（打卡）")]
    [InlineData("员工编号：,姓名,打卡时间(北京时间)")]
    [InlineData("*工号,姓名,打卡时间 【必填】")]
    [InlineData("PERSON  ID,name,PUNCH_TIME")]
    [InlineData("PersonID,Name,PunchTime")]
    [InlineData("工号/Emp ID,姓名/Name,打卡时间/Punch Time")]
    [InlineData("人员ID,人员姓名,考勤时间,考勤点")]
    [InlineData("用户ID,姓名,刷卡时间,设备号")]
    [InlineData("考勤号,姓名,刷卡时间,机号")]
    public void Header_near_misses_and_vendor_spellings_are_recognised(string header)
    {
        var punch = Assert.Single(DelimitedTestSupport.Read($"{header}\n7,李雷,2026-11-02 08:57:31,Gate\n"), r => r.Kind == RawRecordKind.Punch);

        Assert.Equal(("7", On2November(8, 57, 31)), (punch.UserKey, punch.Time.Local));
    }

    [Fact]
    public void Card_numbers_give_way_to_the_attendance_number()
    {
        var punch = Assert.Single(
            DelimitedTestSupport.Read("部门,姓名,考勤号码,日期时间,机器号,编号,比对方式,卡号\n研发,李雷,7,2026/11/2 8:57:31,1,1,指纹,12345\n"),
            r => r.Kind == RawRecordKind.Punch);

        Assert.Equal(("7", "1"), (punch.UserKey, punch.Device));
    }

    [Fact]
    public void A_header_that_is_not_recognised_is_described_with_the_nearest_known_name()
    {
        var content = Bytes("Attendance report\nEmpNumber,Name,PunchAt\n7,Li,2026-11-02 08:57:31\n");

        var error = Assert.Throws<NotAClockExportException>(() => OpenAndRead(content, "export.csv"));

        Assert.Contains("line 2 looks most like a header, with columns \"EmpNumber\", \"Name\", \"PunchAt\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("it names no user key column (\"EmpNumber\" is close to the known name", error.Message, StringComparison.Ordinal);
        Assert.Contains("and no time column (\"PunchAt\" is close to the known name", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("7,Li", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_delimited_read_also_describes_the_likeliest_header()
    {
        var options = new ExportReadOptions { Format = ExportFormat.Delimited };

        var error = Assert.Throws<NotAClockExportException>(() => DelimitedTestSupport.Read("工号,姓名,打卡\n7,李雷,2026-11-02 08:57:31\n", options));

        Assert.Contains("line 1 looks most like a header, with columns \"工号\", \"姓名\", \"打卡\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("it names no time column (\"打卡\" is close to the known name", error.Message, StringComparison.Ordinal);
    }
}
