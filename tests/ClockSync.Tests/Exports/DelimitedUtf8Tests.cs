using System.Text;
using ClockSync.Exports;
using ClockSync.Exports.Delimited;
using ClockSync.Exports.Text;
using static ClockSync.Tests.Exports.DelimitedTestSupport;

namespace ClockSync.Tests.Exports;

/// <summary>
/// The UTF-8 path of the delimited reader, which scans bytes instead of decoded text: records cut by a buffer refill
/// at any byte, byte-order marks, invalid bytes, and the record limit counted in bytes.
/// </summary>
public sealed class DelimitedUtf8Tests
{
    private const string Header = "工号,姓名,打卡时间,设备\r\n";

    /// <summary>Rows whose every byte is a place where a refill must not change anything.</summary>
    private const string Tricky =
        "7,\"张三 \"\"老\"\", 三\r\n续\",2025-06-02 08:57:31,门1\r\n" // quoted: delimiter, doubled quote, CRLF inside
        + "8,李四,2025-06-02 08:58:00,门2\r\n" // multi-byte name and device
        + "9,王😀五,2025-06-02 08:59:00,\r\n"; // a four-byte character, an empty last cell

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    [Fact]
    public void A_record_cut_by_a_refill_at_any_byte_is_read_whole()
    {
        // Fed one byte at a time, the scanner's first fill stops at 4096 bytes: the tricky rows are moved across that
        // point one byte further each time, so the refill falls on every byte of them once.
        var trickyLength = Utf8.GetByteCount(Tricky);
        for (var shift = 0; shift <= trickyLength; shift++)
        {
            var content = Utf8.GetBytes(Header + Filler(4096 - Utf8.GetByteCount(Header) - trickyLength + shift) + Tricky);

            var records = ReadUtf8(content, ExportReadOptions.Default, chunk: 1);

            AssertSameRecords(ReadDecodedBytes(content, ExportReadOptions.Default), records);
            AssertTrickyRowsRead(records);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_row_across_the_end_of_the_detection_prefix_is_read_whole(bool seekable)
    {
        // The first 64 KiB are read for detection and replayed: the tricky rows straddle where the replay ends.
        var content = Utf8.GetBytes(Header + Filler(ExportTextDecoder.PrefixLength - Utf8.GetByteCount(Header) - 20) + Tricky + Filler(5_000));

        var (export, records) = ExportTestSupport.OpenAndRead(content, "export.csv", seekable: seekable);

        Assert.Equal(ExportFormat.Delimited, export.Format);
        Assert.Equal("UTF-8", export.Encoding);
        AssertSameRecords(ReadDecodedBytes(content, ExportReadOptions.Default), records);
        AssertTrickyRowsRead(records);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_header_cell()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. Utf8.GetBytes(Header + "0007,张三,2025-06-02 08:57:31,门1\r\n")];

        var (export, records) = ExportTestSupport.OpenAndRead(content, "export.csv");

        Assert.Equal("UTF-8 (BOM)", export.Encoding);
        Assert.Equal(RawRecord.Skipped(1), records[0]);
        var punch = SinglePunch(records);
        Assert.Equal(("7", "张三", "门1"), (punch.UserKey, punch.Name, punch.Device));
        Assert.Equal(At(2025, 6, 2, 8, 57, 31), punch.Time.Local);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_reject_a_user_key_and_become_U_FFFD_elsewhere()
    {
        // The prefix is valid UTF-8, so the file is read as UTF-8; the bad bytes come after it.
        var good = Utf8.GetBytes(Header + Filler(ExportTextDecoder.PrefixLength));
        byte[] content =
        [
            .. good,
            .. "7"u8, 0xFF, .. ","u8, 0xE6, 0x9D, .. ",2025-06-02 08:57:31,1\r\n"u8, // a stray byte in the key, a cut name
            .. "8,"u8, 0xC3, .. ",2025-06-02 08:58:00,1\r\n"u8, // a cut name
        ];

        var (export, records) = ExportTestSupport.OpenAndRead(content, "export.csv");

        Assert.Equal("UTF-8", export.Encoding);
        AssertSameRecords(ReadDecodedBytes(content, ExportReadOptions.Default), records);
        Assert.Equal("user", records[^2].Field);
        Assert.Contains("not valid text in the file's encoding", records[^2].Reason, StringComparison.Ordinal);
        Assert.Equal(("8", "\uFFFD"), (records[^1].UserKey, records[^1].Name));
    }

    [Fact]
    public void On_the_byte_path_the_record_limit_counts_bytes()
    {
        // 30 characters, 90 bytes: within a limit of 64 characters, past a limit of 64 bytes.
        var text = "PIN,Name,Time\n7," + new string('张', 30) + ",2025-06-02 08:57:31\n8,Li,2025-06-02 08:58:00\n";

        var decoded = ReadDecoded(text, ExportReadOptions.Default, maxRecordChars: 64);
        var bytes = ReadUtf8(Utf8.GetBytes(text), ExportReadOptions.Default, maxRecordChars: 64);

        Assert.Equal(RawRecordKind.Punch, decoded[1].Kind);
        Assert.Equal(RawRecord.Rejected(2, "line", "line is longer than 64 bytes"), bytes[1]);
        Assert.Equal(decoded[2], bytes[2]);
    }

    [Fact]
    public void An_over_long_line_of_Chinese_text_is_rejected_without_losing_its_neighbours()
    {
        var huge = new string('张', 100_000);
        var content = Utf8.GetBytes($"{Header}7,李四,2025-06-02 08:57:31,1\r\n8,{huge},2025-06-02 08:58:00,1\r\n9,王五,2025-06-02 08:59:00,1\r\n");

        var (_, records) = ExportTestSupport.OpenAndRead(content, "export.csv", seekable: false);

        AssertOneRecordPerLine(records, 4);
        Assert.Equal(RawRecord.Rejected(3, "line", "line is longer than 65536 bytes"), records[2]);
        Assert.Equal(("7", "9"), (records[1].UserKey, records[3].UserKey));
    }

    [Fact]
    public void Split_date_and_time_columns_are_read_from_bytes()
    {
        var content = Utf8.GetBytes("工号\t姓名\t日期\t时间\n7\t张三\t2025/6/2\t8:57\n8\t李四\t2025-06-31\t08:00:00\n");

        var records = ReadUtf8(content, ExportReadOptions.Default);

        AssertSameRecords(ReadDecodedBytes(content, ExportReadOptions.Default), records);
        Assert.Equal(At(2025, 6, 2, 8, 57, 0), records[1].Time.Local);
        Assert.Equal("date \"2025-06-31\" is not a valid calendar date", records[2].Reason);
    }

    [Fact]
    public void Repeated_cells_share_one_instance_and_equal_texts_of_different_bytes_are_still_equal()
    {
        var content = Utf8.GetBytes("PIN,Name,Time\n7,张三,2025-06-02 08:57:31\n007,张三 ,2025-06-02 18:00:00\n7,张三,2025-06-03 08:00:00\n");

        var records = ReadUtf8(content, ExportReadOptions.Default);

        Assert.All(records.Skip(1), r => Assert.Equal(("7", "张三"), (r.UserKey, r.Name)));
        Assert.Same(records[1].UserKey, records[3].UserKey);
        Assert.Same(records[1].Name, records[3].Name);
    }

    [Fact]
    public void Reading_bytes_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        using var source = new MemoryStream(Utf8.GetBytes("PIN,Time\n7,2025-06-02 08:57:31\n8,2025-06-02 08:58:00\n"));
        var records = new DelimitedTextReader().ReadUtf8(source, ExportReadOptions.Default, cancellation.Token);

        using var enumerator = records.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => enumerator.MoveNext());
    }

    /// <summary>
    /// Plain ASCII rows of about 40 bytes, then a line of spaces (a blank row) to make up exactly
    /// <paramref name="bytes"/>.
    /// </summary>
    private static string Filler(int bytes)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length + 48 < bytes; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{100 + (i % 50)},Name {i % 13},2025-06-01 07:00:00,{i % 4}\r\n");
        }

        return text.Append(' ', bytes - text.Length - 2).Append("\r\n").ToString();
    }

    private static void AssertTrickyRowsRead(IReadOnlyList<RawRecord> records)
    {
        var punches = records.Where(r => r.Kind == RawRecordKind.Punch && r.UserKey is "7" or "8" or "9").ToDictionary(r => r.UserKey!);
        Assert.Equal("张三 \"老\", 三\r\n续", punches["7"].Name);
        Assert.Equal(("李四", "门2"), (punches["8"].Name, punches["8"].Device));
        Assert.Equal(("王😀五", (string?)null), (punches["9"].Name, punches["9"].Device));
        Assert.Equal(punches["7"].Line + 2, punches["8"].Line);
        Assert.Equal(At(2025, 6, 2, 8, 59, 0), punches["9"].Time.Local);
    }
}
