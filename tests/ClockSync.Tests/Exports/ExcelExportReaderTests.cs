using ClockSync.Exports;
using ClockSync.Exports.Excel;

namespace ClockSync.Tests.Exports;

public sealed class ExcelExportReaderTests
{
    private static readonly string DataDirectory = Path.Combine(AppContext.BaseDirectory, "Data", "excel");

    public static TheoryData<string> Formats => new() { "xlsx", "xls" };

    private static List<RawRecord> ReadWorkbook(string name, ExportReadOptions? options = null, bool seekable = true)
    {
        using var file = File.OpenRead(Path.Combine(DataDirectory, name));
        using Stream content = seekable ? file : new ForwardOnlyStream(file);
        return new ExcelExportReader().Read(content, options ?? ExportReadOptions.Default, CancellationToken.None).ToList();
    }

    private static ExportTime Local(int year, int month, int day, int hour, int minute, int second) =>
        new(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified), null);

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_report_with_title_rows_on_its_second_sheet_is_read_row_by_row(string format)
    {
        var records = ReadWorkbook($"hikvision-report.{format}");

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), records.Select(r => r.Line));
        Assert.All(records.Take(3), r => Assert.Equal(RawRecordKind.Skipped, r.Kind));

        // Date-formatted cell, apostrophe-protected key.
        Assert.Equal(new RawRecord
        {
            Line = 4, Kind = RawRecordKind.Punch, UserKey = "7", Time = Local(2025, 6, 2, 8, 57, 31),
            Name = "Li Lei", Direction = "Check-in", Device = "Door 1",
        }, records[3]);

        // Serial number in a General cell, numeric key and device.
        Assert.Equal(new RawRecord
        {
            Line = 5, Kind = RawRecordKind.Punch, UserKey = "18", Time = Local(2025, 6, 2, 12, 0, 0),
            Name = "Han Meimei", Direction = "Check-out", Device = "2",
        }, records[4]);

        // Time written as text, without seconds.
        Assert.Equal(new RawRecord
        {
            Line = 6, Kind = RawRecordKind.Punch, UserKey = "A1034", Time = Local(2025, 6, 2, 8, 57, 0) with { MinuteOnly = true }, Name = "Wu",
        }, records[5]);

        Assert.Equal(RawRecord.Skipped(7), records[6]);
        Assert.Equal(RawRecord.Rejected(8, "user", "user key is empty"), records[7]);
        Assert.Equal(RawRecord.Rejected(9, "time", "time \"not a time\" is not a date-time"), records[8]);
        Assert.Equal(RawRecord.Rejected(10, "time", "time is empty"), records[9]);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Split_date_and_time_cells_are_combined(string format)
    {
        var records = ReadWorkbook($"split-date-time.{format}");

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), records.Select(r => r.Line));
        Assert.Equal(RawRecord.Skipped(1), records[0]);

        // Date cell + time-formatted cell; numeric key 7 and device 1 as written, without ".0".
        Assert.Equal(new RawRecord
        {
            Line = 2, Kind = RawRecordKind.Punch, UserKey = "7", Time = Local(2025, 6, 2, 8, 57, 31), Name = "张三", Device = "1",
        }, records[1]);

        // Date cell + a fraction of a day in a General cell.
        Assert.Equal(Local(2025, 6, 2, 12, 0, 0), records[2].Time);
        Assert.Equal("8", records[2].UserKey);

        // Both as text; a zero-padded text key stays as written; "18:00" says it has no seconds.
        Assert.Equal(new RawRecord
        {
            Line = 4, Kind = RawRecordKind.Punch, UserKey = "9", Time = Local(2025, 6, 3, 18, 0, 0) with { MinuteOnly = true }, Name = "王五", Device = "Gate A",
        }, records[3]);

        // Date as a serial number in a General cell + time cell.
        Assert.Equal(Local(2025, 6, 3, 7, 30, 0), records[4].Time);
        Assert.Null(records[4].Device);

        Assert.Equal(RawRecord.Rejected(6, "time", "time \"25:00\" is not a valid time of day"), records[5]);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_non_seekable_stream_is_read_the_same(string format)
    {
        var fromFile = ReadWorkbook($"hikvision-report.{format}");
        var fromStream = ReadWorkbook($"hikvision-report.{format}", seekable: false);

        Assert.Equal(fromFile, fromStream);
    }

    [Fact]
    public void Explicit_columns_pick_the_header_in_a_workbook()
    {
        var options = new ExportReadOptions { Columns = new ColumnMapping { UserKey = "Name", Time = "Time" } };

        var records = ReadWorkbook("hikvision-report.xlsx", options);

        Assert.Equal("Li Lei", records[3].UserKey);
        Assert.Equal(RawRecordKind.Punch, records[3].Kind);
    }

    [Fact]
    public void A_workbook_without_a_header_is_not_a_clock_export()
    {
        var options = new ExportReadOptions { Columns = new ColumnMapping { UserKey = "Badge" } };

        var error = Assert.Throws<NotAClockExportException>(() => ReadWorkbook("split-date-time.xlsx", options));

        Assert.Contains("no sheet", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'P', (byte)'I', (byte)'N', (byte)',', (byte)'T' })]
    public void A_file_that_is_no_workbook_cannot_be_opened(byte[] content)
    {
        using var stream = new MemoryStream(content);

        var error = Assert.Throws<NotAClockExportException>(
            () => new ExcelExportReader().Read(stream, ExportReadOptions.Default, CancellationToken.None).ToList());

        Assert.Contains("workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_workbook_fails_with_a_clear_error()
    {
        var bytes = File.ReadAllBytes(Path.Combine(DataDirectory, "hikvision-report.xlsx"));
        using var stream = new MemoryStream(bytes, 0, bytes.Length / 2);

        Assert.Throws<NotAClockExportException>(
            () => new ExcelExportReader().Read(stream, ExportReadOptions.Default, CancellationToken.None).ToList());
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14 }, true)]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, true)]
    [InlineData(new byte[] { 0x50, 0x4B }, false)]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x50, 0x49, 0x4E }, false)]
    [InlineData(new byte[0], false)]
    public void LooksLikeWorkbook_checks_the_zip_and_compound_file_signatures(byte[] firstBytes, bool expected)
    {
        Assert.Equal(expected, ExcelExportReader.LooksLikeWorkbook(firstBytes));
    }

    [Fact]
    public void Reading_stops_when_cancelled()
    {
        using var file = File.OpenRead(Path.Combine(DataDirectory, "split-date-time.xlsx"));
        using var cancellation = new CancellationTokenSource();
        using var records = new ExcelExportReader().Read(file, ExportReadOptions.Default, cancellation.Token).GetEnumerator();

        Assert.True(records.MoveNext());
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => records.MoveNext());
    }

    /// <summary>A stream that can only be read forwards, like a blob download.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
    }
}

public sealed class ExcelRowNumberingTests
{
    private static List<RawRecord> Read(params (int Row, object?[] Cells)[] rows)
    {
        using var workbook = ExcelTestWorkbook.Create(rows);
        return new ExcelExportReader().Read(workbook, ExportReadOptions.Default, CancellationToken.None).ToList();
    }

    [Fact]
    public void Rows_missing_from_the_sheet_still_count_as_rows()
    {
        var records = Read(
            (3, ["工号", "打卡时间"]),
            (4, [7.0, "2025-06-02 08:57:31"]),
            (7, [8.0, 45810.375]));

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), records.Select(r => r.Line));
        Assert.Equal(
            [RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch, RawRecordKind.Skipped, RawRecordKind.Skipped, RawRecordKind.Punch],
            records.Select(r => r.Kind));
        Assert.Equal("8", records[6].UserKey);
        Assert.Equal(new DateTime(2025, 6, 2, 9, 0, 0, DateTimeKind.Unspecified), records[6].Time.Local);
    }

    [Fact]
    public void Numeric_keys_never_get_a_decimal_part_and_fractions_keep_theirs()
    {
        var records = Read(
            (1, ["No.", "Date/Time", "Mchn"]),
            (2, [123456789012.0, "2025-06-02 08:57:31", 1.5]));

        Assert.Equal("123456789012", records[1].UserKey);
        Assert.Equal("1.5", records[1].Device);
    }

    [Fact]
    public void A_serial_time_a_hair_below_the_second_is_rounded_to_it()
    {
        // 08:57:31 is 0.373275462962963 of a day; a value typed 40 ms short must not read as 08:57:30.
        var records = Read(
            (1, ["PIN", "Date", "Time"]),
            (2, ["7", 45810.0, 0.373275]));

        Assert.Equal(new DateTime(2025, 6, 2, 8, 57, 31, DateTimeKind.Unspecified), records[1].Time.Local);
    }

    [Fact]
    public void A_serial_out_of_the_date_range_is_rejected_as_time()
    {
        var records = Read(
            (1, ["PIN", "CHECKTIME"]),
            (2, ["7", 1e10]));

        Assert.Equal(RawRecord.Rejected(2, "time", "time \"10000000000\" is not a date-time"), records[1]);
    }
}
