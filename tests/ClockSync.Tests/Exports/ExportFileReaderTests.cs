using System.Text;
using ClockSync.Exports;
using ClockSync.Exports.Detection;
using ClockSync.Exports.Text;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class ExportFileReaderTests
{
    private const string AttlogText = "        7\t2025-06-02 08:57:31\t1\t0\t1\t0\r\n A1034\t2025-06-02 12:00:00\t2\t1\t4\t0\t0\r\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Detects_an_attlog_and_reads_every_line_from_line_1(bool seekable)
    {
        var (export, records) = OpenAndRead(File.ReadAllBytes(DataPath("attlog", "1_attlog.dat")), "1_attlog.dat", seekable: seekable);

        Assert.Equal((ExportFormat.ZkTecoAttLog, "UTF-8", "1_attlog.dat"), (export.Format, export.Encoding, export.FileName));
        AssertOneRecordPerLine(records, 10);
        Assert.Equal(5, records.Count(r => r.Kind == RawRecordKind.Punch));
    }

    [Fact]
    public void Detects_a_clock_text_report()
    {
        var (export, records) = OpenAndRead(File.ReadAllBytes(DataPath("textreport", "GLG_001.TXT")), "GLG_001.TXT");

        Assert.Equal((ExportFormat.ClockTextReport, "UTF-8"), (export.Format, export.Encoding));
        AssertOneRecordPerLine(records, 4);
        Assert.Equal(RawRecordKind.Skipped, records[0].Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decodes_a_GB18030_text_report_with_Chinese_names(bool seekable)
    {
        var (export, records) = OpenAndRead(File.ReadAllBytes(DataPath("textreport", "AGLog_001.txt")), "AGLog_001.txt", seekable: seekable);

        Assert.Equal((ExportFormat.ClockTextReport, "GB18030"), (export.Format, export.Encoding));
        Assert.Equal(
            [("7", "李雷"), ("18", "韩梅梅"), ("23", "欧阳𠀀")],
            records.Where(r => r.Kind == RawRecordKind.Punch).Select(r => (r.UserKey, r.Name)));
    }

    public static TheoryData<string, byte[]> EncodedAttlogs() => new()
    {
        { "UTF-8", Bytes(AttlogText) },
        { "UTF-8 (BOM)", [0xEF, 0xBB, 0xBF, .. Bytes(AttlogText)] },
        { "UTF-16LE (BOM)", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(AttlogText)] },
        { "UTF-16BE (BOM)", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(AttlogText)] },
        { "UTF-16LE", Encoding.Unicode.GetBytes(AttlogText) },
    };

    [Theory]
    [MemberData(nameof(EncodedAttlogs))]
    public void Reads_the_same_punches_in_every_encoding(string encoding, byte[] content)
    {
        foreach (var seekable in new[] { true, false })
        {
            var (export, records) = OpenAndRead(content, "attlog.dat", seekable: seekable);

            Assert.Equal((ExportFormat.ZkTecoAttLog, encoding), (export.Format, export.Encoding));
            AssertOneRecordPerLine(records, 2);
            Assert.Equal(
                [("7", Local(2025, 6, 2, 8, 57, 31), "1", "0"), ("A1034", Local(2025, 6, 2, 12, 0, 0), "2", "1")],
                records.Select(r => (r.UserKey, r.Time.Local, r.Device, r.Direction)));
        }
    }

    [Fact]
    public void A_bad_byte_after_the_detection_prefix_rejects_only_that_line_on_its_user_key()
    {
        // Valid UTF-8 for well over the prefix, then one PIN with a byte that is not UTF-8, then more good lines.
        var text = new StringBuilder();
        var lineCount = 0;
        while (text.Length < ExportTextDecoder.PrefixLength + 1000)
        {
            text.Append(CultureInvariant($"{++lineCount}\t2025-06-02 08:57:31\t1\t0\t1\t0\n"));
        }

        var content = new List<byte>(Bytes(text.ToString()));
        content.AddRange(Bytes("12"));
        content.Add(0xFF);
        content.AddRange(Bytes("3\t2025-06-02 08:57:31\t1\t0\t1\t0\nlast\t2025-06-02 09:00:00\t1\t0\t1\t0\n"));

        var (export, records) = OpenAndRead([.. content], seekable: false);

        Assert.Equal("UTF-8", export.Encoding);
        AssertOneRecordPerLine(records, lineCount + 2);
        var bad = records[lineCount];
        Assert.Equal((RawRecordKind.Rejected, "user"), (bad.Kind, bad.Field));
        Assert.Contains("not valid text", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(lineCount + 1, records.Count(r => r.Kind == RawRecordKind.Punch));
        Assert.Equal("last", records[^1].UserKey);
    }

    [Fact]
    public void A_large_non_seekable_stream_is_read_once_with_no_line_lost_or_doubled_at_the_prefix_boundary()
    {
        var text = new StringBuilder();
        for (var i = 1; i <= 20_000; i++)
        {
            // Mixed line breaks, so a CRLF lands on the prefix boundary in some runs of this shape.
            text.Append(CultureInvariant($"{i}\t2025-06-02 08:57:31\t1\t0\t1\t0")).Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        var (_, records) = OpenAndRead(Bytes(text.ToString()), seekable: false);

        AssertOneRecordPerLine(records, 20_000);
        Assert.Equal(Enumerable.Range(1, 20_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Select(r => r.UserKey));
    }

    [Fact]
    public void A_PUSH_log_is_never_guessed_but_read_as_PUSH_when_forced()
    {
        var content = File.ReadAllBytes(DataPath("push", "ATTLOG.txt"));

        var (guessed, guessedRecords) = OpenAndRead(content, "ATTLOG.txt");
        var (forced, forcedRecords) = OpenAndRead(content, "ATTLOG.txt", new ExportReadOptions { Format = ExportFormat.ZkTecoPush });

        Assert.Equal(ExportFormat.ZkTecoAttLog, guessed.Format);
        Assert.Equal("0", guessedRecords[0].Device);
        Assert.Equal(ExportFormat.ZkTecoPush, forced.Format);
        Assert.Equal(("0", (string?)null), (forcedRecords[0].Direction, forcedRecords[0].Device));
    }

    [Fact]
    public void A_forced_format_wins_over_detection()
    {
        var (export, records) = OpenAndRead(Bytes(AttlogText), options: new ExportReadOptions { Format = ExportFormat.ClockTextReport });

        Assert.Equal(ExportFormat.ClockTextReport, export.Format);

        // No text report header: the punch lines cannot be read, and say so instead of vanishing.
        Assert.All(records, r => Assert.Equal((RawRecordKind.Rejected, "line"), (r.Kind, r.Field)));
    }

    [Fact]
    public void Forced_delimited_and_Excel_hand_over_without_reading_ahead()
    {
        using var text = ExportFileReader.Open(new MemoryStream(Bytes("a;b\n")), "x.csv", new ExportReadOptions { Format = ExportFormat.Delimited });
        using var workbook = ExportFileReader.Open(new TrickleStream([1, 2, 3]), "x.xlsx", new ExportReadOptions { Format = ExportFormat.Excel });

        Assert.Equal((ExportFormat.Delimited, "UTF-8"), (text.Format, text.Encoding));
        Assert.Equal((ExportFormat.Excel, ExportFileReader.BinaryEncoding), (workbook.Format, workbook.Encoding));
    }

    [Fact]
    public void A_tab_separated_file_with_a_header_row_is_not_taken_for_an_attlog()
    {
        string[] lines = ["USERID\tCHECKTIME\tCHECKTYPE", "1\t2025-06-02 08:57:31\tI", "2\t2025-06-02 08:58:31\tO"];

        Assert.NotEqual(ExportFormat.ZkTecoAttLog, ExportFormatDetector.DetectText(lines, ExportReadOptions.Default));
        Assert.Equal(ExportFormat.ZkTecoAttLog, ExportFormatDetector.DetectText(["SN123", .. lines[1..]], ExportReadOptions.Default));
    }

    [Theory]
    [InlineData("empty.dat", new byte[0], "the file is empty (0 bytes)")]
    [InlineData("letter.txt", null, "no header with a user key and a time column was found in the first 2 lines")]
    [InlineData("blank.txt", new byte[] { 13, 10, 32, 13, 10, 9, 10 }, "the first 3 lines are blank")]
    [InlineData("photo.dat", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4 }, "binary")]
    [InlineData("report.xlsx", null, "the name ends in .xlsx but the content is not an Excel workbook")]
    public void Says_clearly_why_a_file_is_not_an_export(string fileName, byte[]? content, string reason)
    {
        content ??= Bytes("Hello,\nthis file was saved here by mistake.\n");

        var error = Assert.Throws<NotAClockExportException>(() => ExportFileReader.Open(new TrickleStream(content), fileName, ExportReadOptions.Default));

        Assert.Equal(fileName, error.FileName);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith(fileName + ": not a clock export", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_line_longer_than_the_prefix_is_not_an_export()
    {
        var content = Bytes(new string('x', ExportTextDecoder.PrefixLength + 10) + "\n");

        var error = Assert.Throws<NotAClockExportException>(() => ExportFileReader.Open(new MemoryStream(content), "long.txt", ExportReadOptions.Default));

        Assert.Contains("hold no line break", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_the_export_leaves_the_callers_stream_open()
    {
        using var stream = new MemoryStream(Bytes(AttlogText));
        using (var export = ExportFileReader.Open(stream, "attlog.dat", ExportReadOptions.Default))
        {
            Assert.Equal(2, export.Records.Count());
        }

        Assert.True(stream.CanRead);
    }

    [Fact]
    public void Reading_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        using var export = ExportFileReader.Open(new MemoryStream(Bytes(AttlogText)), "attlog.dat", ExportReadOptions.Default, cancellation.Token);
        using var records = export.Records.GetEnumerator();
        Assert.True(records.MoveNext());

        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => records.MoveNext());
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
