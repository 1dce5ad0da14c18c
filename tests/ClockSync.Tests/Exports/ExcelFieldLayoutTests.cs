using ClockSync.Exports;
using static ClockSync.Tests.Exports.ExportTestSupport;
using static ClockSync.Tests.Exports.LayoutTestSupport;

namespace ClockSync.Tests.Exports;

/// <summary>The layouts of issue 18 in workbooks: text cells as Excel users type them, and time-of-day numbers.</summary>
public sealed class ExcelFieldLayoutTests
{
    /// <summary>Reads the workbook through <see cref="ExportFileReader"/> and checks the import's accounting.</summary>
    private static List<RawRecord> Import(params (int Row, object?[] Cells)[] rows)
    {
        byte[] content;
        using (var workbook = ExcelTestWorkbook.Create(rows))
        {
            content = workbook.ToArray();
        }

        var (export, records, _) = LayoutTestSupport.ImportAccounted(content, "export.xlsx");
        Assert.Equal(ExportFormat.Excel, export.Format);
        return records;
    }

    private static List<(string? User, DateTime Time, long Row)> Punches(IEnumerable<RawRecord> records) =>
        [.. records.Where(r => r.Kind == RawRecordKind.Punch).Select(r => (r.UserKey, r.Time.Local, r.Line))];

    /// <summary>A time of day as a spreadsheet stores it: a fraction of a day.</summary>
    private static double DayFraction(int hour, int minute) => ((hour * 60) + minute) / 1440.0;

    [Fact]
    public void Text_cells_with_上午_下午_are_read()
    {
        var records = Import(
            (1, ["工号", "姓名", "打卡时间"]),
            (2, ["7", "李雷", "2026/11/2 上午 8:57:31"]),
            (3, [7.0, "李雷", "2026/11/2 下午 1:05:10"]));

        Assert.Equal([("7", On2November(8, 57, 31), 2L), ("7", On2November(13, 5, 10), 3L)], Punches(records));
    }

    [Fact]
    public void A_date_column_and_a_time_only_打卡时间_column_are_combined()
    {
        var records = Import(
            (1, ["工号", "日期", "打卡时间"]),
            (2, ["7", "2026-11-02", DayFraction(8, 57)]),
            (3, ["7", "2026/11/2", "下午 6:05"]));

        Assert.Equal([("7", On2November(8, 57), 2L), ("7", On2November(18, 5), 3L)], Punches(records));
    }

    [Fact]
    public void A_cell_with_several_times_is_one_punch_per_time()
    {
        var records = Import(
            (1, ["工号", "姓名", "日期", "打卡时间"]),
            (2, ["7", "李雷", "2026-11-02", "08:57\n12:01\n13:02\n18:05"]),
            (3, ["8", "韩梅梅", "2026-11-02", "08:59, 99:99"]));

        Assert.Equal(
            [
                ("7", On2November(8, 57), 2L), ("7", On2November(12, 1), 2L), ("7", On2November(13, 2), 2L), ("7", On2November(18, 5), 2L),
                ("8", On2November(8, 59), 3L),
            ],
            Punches(records));
        var rejected = Assert.Single(records, r => r.Kind == RawRecordKind.Rejected);
        Assert.Equal((3L, "time"), (rejected.Line, rejected.Field));
    }

    [Fact]
    public void A_time_card_with_typed_and_text_slots_and_blanks_is_read()
    {
        var records = Import(
            (1, ["考勤时间报表"]),
            (2, ["工号", "姓名", "日期", "上班1", "下班1", "上班2", "下班2"]),
            (3, ["7", "李雷", "2026-11-02", DayFraction(8, 57), "12:01", null, DayFraction(18, 5)]),
            (4, ["8", "韩梅梅", "2026-11-02", null, null, null, null]),
            (6, ["9", "王五", "2026-11-02", "上午 9:00", "缺卡", null, "下午 6:00"]));

        Assert.Equal(
            [
                ("7", On2November(8, 57), 3L), ("7", On2November(12, 1), 3L), ("7", On2November(18, 5), 3L),
                ("9", On2November(9, 0), 6L), ("9", On2November(18, 0), 6L),
            ],
            Punches(records));
        Assert.Equal(RawRecordKind.Skipped, Assert.Single(records, r => r.Line == 4).Kind);
        Assert.Equal(["上班1", "下班1", "下班2"], records.Where(r => r.Line == 3).Select(r => r.Direction));
    }

    [Fact]
    public void A_sheet_without_a_recognisable_header_is_described()
    {
        using var workbook = ExcelTestWorkbook.Create([(1, ["EmpNo", "Name", "Punch"]), (2, ["7", "Li", "2026-11-02 08:57"])]);

        var error = Assert.Throws<NotAClockExportException>(() => OpenAndRead(workbook.ToArray(), "export.xlsx"));

        Assert.Contains("row 1 looks most like a header, with columns \"EmpNo\", \"Name\", \"Punch\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("(\"EmpNo\" is close to the known name \"Emp No.\")", error.Message, StringComparison.Ordinal);
    }
}
