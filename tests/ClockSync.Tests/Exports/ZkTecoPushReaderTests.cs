using ClockSync.Exports;
using ClockSync.Exports.ZkTeco;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class ZkTecoPushReaderTests
{
    [Fact]
    public void The_third_field_is_the_status_and_there_is_no_device()
    {
        var records = ReadAll(new ZkTecoPushReader(), File.ReadAllText(DataPath("push", "ATTLOG.txt")));

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(
            [("7", "0", (string?)null), ("18", "1", null), ("A1034", "4", null)],
            records.Select(r => (r.UserKey, r.Direction, r.Device)));
        Assert.Equal(Local(2025, 6, 2, 9, 2, 10), records[1].Time.Local);
    }

    [Fact]
    public void The_same_line_means_device_in_attlog_and_status_in_PUSH()
    {
        const string line = "7\t2025-06-02 08:57:31\t5\t1\t0\n";

        var push = ReadAll(new ZkTecoPushReader(), line).Single();
        var usb = ReadAll(new ZkTecoAttLogReader(), line).Single();

        Assert.Equal(("5", (string?)null), (push.Direction, push.Device));
        Assert.Equal(("1", "5"), (usb.Direction, usb.Device));
    }

    [Fact]
    public void Bad_lines_are_rejected_with_field_and_reason()
    {
        var records = ReadAll(new ZkTecoPushReader(), "7\tyesterday\t0\n\t2025-06-02 08:57:31\t0\n");

        Assert.Equal([("time", RawRecordKind.Rejected), ("user", RawRecordKind.Rejected)], records.Select(r => (r.Field, r.Kind)));
    }
}
