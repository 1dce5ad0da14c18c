using System.Text;
using ClockSync.Exports;
using ClockSync.Exports.TextReport;
using ClockSync.Exports.ZkTeco;
using CsCheck;

namespace ClockSync.Tests.Exports;

/// <summary>
/// Random text made of the pieces that matter to the line readers (PINs, times, tabs, every line break, NULs, U+FFFD,
/// headers, single words), and random bytes through detection: nothing but the documented exception escapes, and
/// every physical line yields exactly one record.
/// </summary>
public sealed class ExportReaderPropertyTests
{
    private static readonly Gen<string> ExportLikeText = Gen.OneOf<string>(
            "7", "        18", "A1034", "'0007", "000000007", "SN123", "\t", "\t\t", " ", "  ",
            "2025-06-02 08:57:31", "2025/6/2 8:57", "2025/06/02  08:57:31", "2000-01-01 00:00:00", "2025-13-45 99:99",
            "\r\n", "\n", "\r", "\0", "\0\0\0", "\uFFFD", "李雷", "\u3000",
            "No\tMchn\tEnNo\t\tName\t\tMode\tIOMd\tDateTime\t", "1\t0\t1\t0", "工号,打卡时间")
        .Array[0, 80]
        .Select(string.Concat);

    private static readonly ITextExportReader[] Readers = [new ZkTecoAttLogReader(), new ZkTecoPushReader(), new ClockTextReportReader()];

    [Fact]
    public void Every_reader_yields_one_record_per_physical_line_for_any_text()
    {
        ExportLikeText.Sample(text =>
        {
            foreach (var reader in Readers)
            {
                var records = reader.Read(new StringReader(text), ExportReadOptions.Default, CancellationToken.None).ToList();

                Assert.Equal(Enumerable.Range(1, CountPhysicalLines(text)).Select(i => (long)i), records.Select(r => r.Line));
                AssertWellFormed(records);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Opening_any_bytes_either_says_not_an_export_or_reads_lines_numbered_from_1()
    {
        var anyBytes = Gen.Byte.Array[0, 3000];
        var encodedText = Gen.Select(ExportLikeText, Gen.Int[0, 4], (text, encoding) => encoding switch
        {
            0 => Encoding.UTF8.GetBytes(text),
            1 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            2 => Encoding.Unicode.GetBytes(text),
            3 => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => Encoding.Latin1.GetBytes(text),
        });

        Gen.OneOf<byte[]>(anyBytes, encodedText).Sample(content =>
        {
            OpenedExport export;
            try
            {
                export = ExportFileReader.Open(new TrickleStream(content, maxChunk: 61), "sample.dat", ExportReadOptions.Default);
            }
            catch (NotAClockExportException error)
            {
                Assert.False(string.IsNullOrWhiteSpace(error.Reason));
                return;
            }

            using (export)
            {
                var records = export.Records.ToList();
                Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Line));
                AssertWellFormed(records);
            }
        }, iter: 1000);
    }

    private static void AssertWellFormed(List<RawRecord> records)
    {
        foreach (var record in records)
        {
            switch (record.Kind)
            {
                case RawRecordKind.Punch:
                    Assert.False(string.IsNullOrEmpty(record.UserKey));
                    Assert.DoesNotContain('\uFFFD', record.UserKey);
                    Assert.Equal(record.UserKey, UserKeys.Normalise(record.UserKey));
                    break;
                case RawRecordKind.Rejected:
                    Assert.False(string.IsNullOrEmpty(record.Field));
                    Assert.False(string.IsNullOrEmpty(record.Reason));
                    break;
            }
        }
    }

    /// <summary>A plain reference count: CRLF, LF and CR each end a line; text after the last break is one more line.</summary>
    private static int CountPhysicalLines(string text)
    {
        var lines = 0;
        var lineOpen = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\r' or '\n')
            {
                lines++;
                lineOpen = false;
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                lineOpen = true;
            }
        }

        return lines + (lineOpen ? 1 : 0);
    }
}
