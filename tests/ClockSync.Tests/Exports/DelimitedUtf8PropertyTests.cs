using System.Text;
using ClockSync.Exports;
using CsCheck;
using static ClockSync.Tests.Exports.DelimitedTestSupport;

namespace ClockSync.Tests.Exports;

/// <summary>
/// Differential: whatever the bytes, reading a UTF-8 export from its bytes gives exactly the records that decoding it
/// first gives (invalid bytes included), however the bytes arrive.
/// </summary>
public sealed class DelimitedUtf8PropertyTests
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private static readonly Gen<string> Header = Gen.OneOf(
        "PIN,Name,Time,Device\n",
        "工号\t姓名\t打卡时间\t设备\r\n",
        "Report 2025-06\r\nPerson ID;Name;Time;Status\r\n",
        "Emp ID,Date,Time,Name\n",
        string.Empty);

    /// <summary>Pieces of CSV text: structure, the values exports hold, and what breaks them.</summary>
    private static readonly Gen<byte[]> Piece = Gen.OneOf(
        Gen.OneOf(",", ";", "\t", "\"", "\"\"", "\r", "\n", "\r\n", " ", "'", "\0", "\u3000", "\uFEFF")
            .Select(Utf8.GetBytes),
        Gen.OneOf("7", "0007", "A1034", "张三", "李", "王😀五", "é", "2025-06-02 08:57:31", "2025/6/2 8:57", "2025-06-02", "08:57", "Door 1")
            .Select(Utf8.GetBytes),
        Gen.OneOf<byte[]>([0xFF], [0xC3], [0xE5, 0xBC], [0x80], [0xF0, 0x9F, 0x98]), // not UTF-8: cut or stray bytes
        Gen.Int[1, 2000].Select(i => Utf8.GetBytes($"\n{i},张{i % 7},2025-06-02 08:{i % 60:00}:00,{i % 3}")));

    private static readonly Gen<byte[]> Content =
        Gen.Select(Header, Piece.Array[0, 300]).Select((header, pieces) => (byte[])[.. Utf8.GetBytes(header), .. pieces.SelectMany(p => p)]);

    private static readonly Gen<string> AsciiContent =
        Gen.Select(Gen.OneOf("PIN,Name,Time\n", "x\nPIN;Time;Device\r\n"), Gen.Char["7a ,;\t\"'\r\n:-20265"].Array[0, 800])
            .Select((header, body) => header + new string(body));

    [Fact]
    public void Bytes_and_decoded_text_give_the_same_records_whatever_the_content()
    {
        Gen.Select(Content, Gen.Int[1, 64]).Sample((content, chunk) =>
        {
            var decoded = Outcome(() => ReadDecodedBytes(content, ExportReadOptions.Default));
            var bytes = Outcome(() => ReadUtf8(content, ExportReadOptions.Default, chunk: chunk));

            Assert.Equal(decoded.Error, bytes.Error);
            if (decoded.Records is not null)
            {
                AssertSameRecords(decoded.Records, bytes.Records!);
            }
        });
    }

    [Fact]
    public void With_a_small_limit_ASCII_content_gives_the_same_records_both_ways()
    {
        // In ASCII a character is a byte, so the limits agree: over-long lines and unclosed quotes included.
        Gen.Select(AsciiContent, Gen.Int[16, 80], Gen.Int[1, 64]).Sample((text, limit, chunk) =>
        {
            var content = Utf8.GetBytes(text);
            var decoded = Outcome(() => ReadDecodedBytes(content, ExportReadOptions.Default, limit));
            var bytes = Outcome(() => ReadUtf8(content, ExportReadOptions.Default, limit, chunk));

            Assert.Equal(decoded.Error, bytes.Error);
            if (decoded.Records is not null)
            {
                AssertSameRecords(decoded.Records, bytes.Records!);
            }
        });
    }

    /// <summary>The records, or the message of the one exception a reader may throw (no header).</summary>
    private static (List<RawRecord>? Records, string? Error) Outcome(Func<List<RawRecord>> read)
    {
        try
        {
            return (read(), null);
        }
        catch (NotAClockExportException error)
        {
            return (null, error.Message);
        }
    }
}
