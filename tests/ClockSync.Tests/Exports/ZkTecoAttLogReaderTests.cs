using ClockSync.Exports;
using ClockSync.Exports.Text;
using ClockSync.Exports.ZkTeco;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class ZkTecoAttLogReaderTests
{
    private static List<RawRecord> Read(string text, ExportReadOptions? options = null) => ReadAll(new ZkTecoAttLogReader(), text, options);

    [Fact]
    public void Reads_padded_and_alphanumeric_PINs_with_time_device_and_status()
    {
        var records = Read("        7\t2025-06-02 08:57:31\t1\t0\t1\t0\n       18\t2025-06-02 09:02:10\t1\t1\t15\t0\n A1034\t2025-06-02 12:00:00\t3\t4\t4\t0\t0\t0\n");

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(("7", Local(2025, 6, 2, 8, 57, 31), "1", "0"), Summary(records[0]));
        Assert.Equal(("18", Local(2025, 6, 2, 9, 2, 10), "1", "1"), Summary(records[1]));
        Assert.Equal(("A1034", Local(2025, 6, 2, 12, 0, 0), "3", "4"), Summary(records[2]));
        Assert.All(records, r => Assert.Null(r.Time.Offset));
        Assert.All(records, r => Assert.Null(r.Name));
    }

    [Fact]
    public void A_zero_padded_PIN_becomes_the_same_key_as_the_unpadded_one()
    {
        var records = Read("0007\t2025-06-02 08:57:31\t1\t0\t1\t0\n7\t2025-06-02 08:58:31\t1\t0\t1\t0\n");

        Assert.All(records, r => Assert.Equal("7", r.UserKey));
    }

    [Fact]
    public void Reads_the_committed_sample_with_serial_line_checksum_stray_line_and_reset_clock()
    {
        var text = File.ReadAllText(DataPath("attlog", "1_attlog.dat"));
        var records = Read(text);

        AssertOneRecordPerLine(records, 10);
        Assert.Equal(
            [RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Punch, RawRecordKind.Punch, RawRecordKind.Punch,
             RawRecordKind.Skipped, RawRecordKind.Rejected, RawRecordKind.Rejected, RawRecordKind.Punch, RawRecordKind.Skipped],
            records.Select(r => r.Kind));

        // A factory-reset clock's date is still a punch here: the normaliser rejects it with the reason.
        Assert.Equal(("7", Local(2000, 1, 1, 0, 0, 5), "2", "0"), Summary(records[4]));
        Assert.Equal("line", records[6].Field);
        Assert.Contains("single word", records[6].Reason, StringComparison.Ordinal);
        Assert.Equal("time", records[7].Field);
        Assert.Contains("'2025-06-02 25:61:00'", records[7].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_word_is_skipped_only_as_first_or_last_content_line()
    {
        var records = Read("\nSERIAL1\n7\t2025-06-02 08:57:31\t1\t0\nSTRAY\n\n7\t2025-06-02 08:58:31\t1\t0\nCHECKSUM\n\n\0\0\n");

        AssertOneRecordPerLine(records, 9);
        Assert.Equal(
            [RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Rejected, RawRecordKind.Skipped,
             RawRecordKind.Punch, RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Skipped],
            records.Select(r => r.Kind));
    }

    [Theory]
    [InlineData("SN123", RawRecordKind.Skipped)]
    [InlineData(" SN123\t\r", RawRecordKind.Skipped)]
    [InlineData("\u3000SN123\0", RawRecordKind.Skipped)]
    [InlineData("SN 123", RawRecordKind.Rejected)]
    [InlineData("7\t2025-06-02 08:57:31", RawRecordKind.Punch)]
    public void Only_a_single_word_with_nothing_but_blanks_around_it_is_a_checksum_line(string line, RawRecordKind expected)
    {
        var records = Read($"7\t2025-06-02 08:57:31\t1\t0\n{line}\n");

        AssertOneRecordPerLine(records, 2);
        Assert.Equal(expected, records[1].Kind);
    }

    [Fact]
    public void A_file_that_is_only_a_serial_number_has_no_punches()
    {
        var records = Read("BJ2C184960123\r\n");

        Assert.Equal([RawRecord.Skipped(1)], records);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Reads_every_line_ending(string lineBreak)
    {
        var records = Read($"1\t2025-06-02 08:00:00\t1\t0{lineBreak}2\t2025-06-02 08:01:00\t1\t0{lineBreak}3\t2025-06-02 08:02:00\t1\t0");

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(["1", "2", "3"], records.Select(r => r.UserKey));
    }

    [Fact]
    public void Tolerates_missing_device_and_trailing_tabs()
    {
        var records = Read("7\t2025-06-02 08:57:31\n8\t2025-06-02 08:57:31\t\t\t\t\t\n");

        Assert.All(records, r => Assert.Equal(RawRecordKind.Punch, r.Kind));
        Assert.All(records, r => Assert.Null(r.Device));
        Assert.All(records, r => Assert.Null(r.Direction));
    }

    [Theory]
    [InlineData("7 2025-06-02 08:57:31 1 0 1 0", "line", "no tab")]
    [InlineData("\t2025-06-02 08:57:31\t1\t0", "user", "empty")]
    [InlineData("   \t2025-06-02 08:57:31\t1\t0", "user", "empty")]
    [InlineData("12\uFFFD\t2025-06-02 08:57:31\t1\t0", "user", "not valid text")]
    [InlineData("7\t\t1\t0", "time", "time is empty")]
    [InlineData("7\t2025-13-02 08:57:31\t1\t0", "time", "not a valid calendar date")]
    [InlineData("7\t02/06/2025 08:57\t1\t0", "time", "ambiguous")]
    [InlineData("7\t2025-06-02\t1\t0", "time", "no time of day")]
    public void Rejects_a_bad_line_with_field_and_reason(string line, string field, string reason)
    {
        var records = Read($"1\t2025-06-02 08:00:00\t1\t0\n{line}\n2\t2025-06-02 08:00:00\t1\t0\n");

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(RawRecordKind.Rejected, records[1].Kind);
        Assert.Equal(field, records[1].Field);
        Assert.Contains(reason, records[1].Reason, StringComparison.Ordinal);
        Assert.Equal(RawRecordKind.Punch, records[2].Kind);
    }

    [Fact]
    public void Day_first_dates_are_read_when_configured()
    {
        var records = Read("7\t02/06/2025 08:57\t1\t0\n", new ExportReadOptions { DateOrder = DateOrder.DayMonthYear });

        Assert.Equal(Local(2025, 6, 2, 8, 57, 0), Punch(records, 1).Time.Local);
    }

    [Fact]
    public void An_over_long_line_is_rejected_and_the_next_line_still_read()
    {
        var records = Read($"7\t2025-06-02 08:57:31\t1\t0\n{new string('9', BoundedLineReader.DefaultMaxLineLength + 10)}\t2025-06-02 08:57:31\n8\t2025-06-02 08:57:31\t1\t0\n");

        AssertOneRecordPerLine(records, 3);
        Assert.Equal(("line", RawRecordKind.Rejected), (records[1].Field, records[1].Kind));
        Assert.Equal("8", Punch(records, 3).UserKey);
    }

    [Fact]
    public void NUL_padding_lines_are_blank_and_a_NUL_inside_a_PIN_is_rejected()
    {
        var records = Read("7\t2025-06-02 08:57:31\t1\t0\n\0\0\0\0\n7\08\t2025-06-02 08:57:31\t1\t0\n\0\0");

        AssertOneRecordPerLine(records, 4);
        Assert.Equal(RawRecordKind.Skipped, records[1].Kind);
        Assert.Equal(("user", RawRecordKind.Rejected), (records[2].Field, records[2].Kind));
        Assert.Equal(RawRecordKind.Skipped, records[3].Kind);
    }

    [Fact]
    public void Cancellation_stops_the_reading()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var records = new ZkTecoAttLogReader().Read(new StringReader("7\t2025-06-02 08:57:31\n"), ExportReadOptions.Default, cancellation.Token);

        Assert.Throws<OperationCanceledException>(() => records.ToList());
    }

    private static (string? Key, DateTime Time, string? Device, string? Direction) Summary(RawRecord record)
    {
        Assert.Equal(RawRecordKind.Punch, record.Kind);
        return (record.UserKey, record.Time.Local, record.Device, record.Direction);
    }
}
