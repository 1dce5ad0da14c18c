using System.Text;
using ClockSync.Exports;
using ClockSync.Exports.Delimited;

namespace ClockSync.Tests.Exports;

/// <summary>Whole exports in the shapes of docs/clock-formats.md, read from files as the pipeline would.</summary>
public sealed class DelimitedSampleFileTests
{
    private static List<RawRecord> ReadFile(string name)
    {
        using var text = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Data", "delimited", name), Encoding.UTF8);
        return new DelimitedTextReader().Read(text, ExportReadOptions.Default, CancellationToken.None).ToList();
    }

    private static DateTime At(int day, int hour, int minute, int second) => new(2025, 6, day, hour, minute, second, DateTimeKind.Unspecified);

    [Fact]
    public void Hikvision_report_with_title_rows_BOM_and_apostrophes()
    {
        var records = ReadFile("hikvision-report.csv");

        DelimitedTestSupport.AssertOneRecordPerLine(records, 6);
        Assert.Equal(
            [RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Punch, RawRecordKind.Rejected],
            records.Select(r => r.Kind));
        Assert.Equal(new RawRecord
        {
            Line = 5, Kind = RawRecordKind.Punch, UserKey = "18", Time = new ExportTime(At(2, 18, 1, 2), null),
            Name = "Han, Meimei", Direction = "Check-out", Device = "Door 2",
        }, records[4]);
        Assert.Equal(RawRecord.Rejected(6, "time", "time is empty"), records[5]);
    }

    [Fact]
    public void ZkBioTime_transactions_with_split_date_and_time()
    {
        var records = ReadFile("zkbiotime-transactions.csv");

        DelimitedTestSupport.AssertOneRecordPerLine(records, 5);
        Assert.Equal(["1001", "1002", "1001"], records.Where(r => r.Kind == RawRecordKind.Punch).Select(r => r.UserKey));
        Assert.Equal(At(2, 18, 0, 0), records[3].Time.Local);
        Assert.Equal("Check Out", records[3].Direction);
        Assert.Equal("CKJ4212345", records[3].Device);
        Assert.Equal(RawRecordKind.Skipped, records[4].Kind);
    }

    [Fact]
    public void Chinese_tab_separated_export()
    {
        var records = ReadFile("chinese-export.tsv");

        DelimitedTestSupport.AssertOneRecordPerLine(records, 4);
        Assert.Equal(new RawRecord
        {
            Line = 2, Kind = RawRecordKind.Punch, UserKey = "7", Time = new ExportTime(At(2, 8, 57, 31), null),
            Name = "李雷", Direction = "上班签到", Device = "前台",
        }, records[1]);
        Assert.Equal(At(2, 9, 2, 0), records[2].Time.Local);
        Assert.Equal(RawRecord.Rejected(4, "user", "user key is empty"), records[3]);
    }

    [Fact]
    public void Att2000_dump_separated_by_semicolons_takes_the_serial_number_over_the_sensor_id()
    {
        var records = ReadFile("att2000-checkinout.csv");

        DelimitedTestSupport.AssertOneRecordPerLine(records, 3);
        Assert.Equal(new RawRecord
        {
            Line = 2, Kind = RawRecordKind.Punch, UserKey = "12", Time = new ExportTime(At(2, 8, 57, 31), null),
            Direction = "I", Device = "CKJ4212345",
        }, records[1]);
    }
}
