using System.Text;
using ClockSync.Exports;
using ClockSync.Exports.Text;
using ClockSync.Exports.TextReport;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class ClockTextReportReaderTests
{
    private const string Header = "No\tMchn\tEnNo\t\tName\t\tMode\tIOMd\tDateTime\t";

    private static List<RawRecord> Read(string text) => ReadAll(new ClockTextReportReader(), text);

    [Fact]
    public void Reads_the_committed_sample_with_doubled_tabs_padded_enrol_numbers_and_two_spaces()
    {
        var records = Read(File.ReadAllText(DataPath("textreport", "GLG_001.TXT")));

        AssertOneRecordPerLine(records, 4);
        Assert.Equal(RawRecordKind.Skipped, records[0].Kind);
        Assert.Equal(
            [("7", "Li Lei", "1", "0"), ("18", "Han Meimei", "1", "1"), ("00000A12", "Wang", "2", "0")],
            records.Skip(1).Select(r => (r.UserKey, r.Name, r.Device, r.Direction)));
        Assert.Equal(Local(2025, 6, 2, 8, 57, 31), records[1].Time.Local);
        Assert.Equal(Local(2025, 6, 3, 8, 1, 2), records[3].Time.Local);
    }

    [Fact]
    public void Reads_Chinese_names_from_a_GB18030_file()
    {
        var bytes = File.ReadAllBytes(DataPath("textreport", "AGLog_001.txt"));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var records = Read(Encoding.GetEncoding("GB18030").GetString(bytes));

        Assert.Equal(["李雷", "韩梅梅", "欧阳𠀀"], records.Skip(1).Select(r => r.Name));
    }

    [Fact]
    public void Columns_follow_the_header_and_TMNo_names_the_machine()
    {
        var records = Read("DateTime\tEnNo\tTMNo\n2025-06-02 08:57\t00042\t3\n");

        Assert.Equal(("42", "3", (string?)null, (string?)null), (records[1].UserKey, records[1].Device, records[1].Direction, records[1].Name));
    }

    [Fact]
    public void Title_rows_before_the_header_are_skipped_but_a_punch_there_is_rejected()
    {
        var records = Read($"Attendance report\n\n000001\t1\t000000007\t\tLi\t\t1\t0\t2025/06/02  08:57:31\n{Header}\n");

        AssertOneRecordPerLine(records, 4);
        Assert.Equal([RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Rejected, RawRecordKind.Skipped], records.Select(r => r.Kind));
        Assert.Contains("before the No/Mchn/EnNo", records[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_rows_are_rejected_with_field_and_reason_and_a_repeated_header_is_skipped()
    {
        var records = Read(
            $"{Header}\n000001\t1\t\t\tLi\t\t1\t0\t2025/06/02  08:57:31\n000002\t1\t000000007\t\tLi\t\t1\t0\t2025/06/31  08:57:31\n" +
            $"000003\t1\n{Header}\n000004\t1\t7\t\tLi\t\t1\t0\t2025/06/02  09:00:00\n");

        AssertOneRecordPerLine(records, 6);
        Assert.Equal(("user", "user key is empty"), (records[1].Field, records[1].Reason));
        Assert.Equal("time", records[2].Field);
        Assert.Contains("calendar date", records[2].Reason, StringComparison.Ordinal);
        Assert.Equal("user", records[3].Field);
        Assert.Contains("missing", records[3].Reason, StringComparison.Ordinal);
        Assert.Equal(RawRecordKind.Skipped, records[4].Kind);
        Assert.Equal("7", Punch(records, 6).UserKey);
    }

    [Fact]
    public void An_over_long_row_is_rejected_without_stopping_the_file()
    {
        var records = Read($"{Header}\n{new string('x', BoundedLineReader.DefaultMaxLineLength + 1)}\n000004\t1\t7\t\tLi\t\t1\t0\t2025/06/02  09:00:00\n");

        AssertOneRecordPerLine(records, 3);
        Assert.Equal("line", records[1].Field);
        Assert.Equal(RawRecordKind.Punch, records[2].Kind);
    }
}
