using System.Text;
using System.Text.RegularExpressions;
using ClockSync.Exports.Text;
using CsCheck;
using static ClockSync.Tests.Exports.ExportTestSupport;

namespace ClockSync.Tests.Exports;

public sealed class ExportTextDecoderTests
{
    private const string Attlog = "7\t2025-06-02 08:57:31\t1\t0\t1\t0\r\n";

    public static TheoryData<string, byte[]> Samples()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return new()
        {
            { "UTF-8", Bytes(Attlog) },
            { "UTF-8", Bytes("工号,打卡时间\r\n") },
            { "UTF-8 (BOM)", [0xEF, 0xBB, 0xBF, .. Bytes(Attlog)] },
            { "UTF-16LE (BOM)", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Attlog)] },
            { "UTF-16BE (BOM)", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Attlog)] },
            { "UTF-16LE", Encoding.Unicode.GetBytes(Attlog) },
            { "UTF-16BE", Encoding.BigEndianUnicode.GetBytes(Attlog) },
            { "UTF-16LE", Encoding.Unicode.GetBytes("工号,姓名,打卡时间\r\n7,李雷,2025-06-02 08:57:31\r\n") },
            { "GB18030", Encoding.GetEncoding("GB18030").GetBytes("工号,姓名,打卡时间\r\n7,李雷,2025-06-02 08:57:31\r\n") },
            { "UTF-8", [.. Bytes(Attlog), .. new byte[200]] },
        };
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Detects_the_encoding(string expected, byte[] content)
    {
        Assert.Equal(expected, ExportTextDecoder.Detect(content, isWholeContent: true).Name);
    }

    [Fact]
    public void A_UTF8_character_cut_by_the_prefix_end_does_not_make_it_GB18030()
    {
        var content = Bytes(new string('a', 10) + "李");

        // The prefix ends one byte into the three-byte character.
        Assert.Equal("UTF-8", ExportTextDecoder.Detect(content.AsSpan(0, 11), isWholeContent: false).Name);
        Assert.Equal("GB18030", ExportTextDecoder.Detect(content.AsSpan(0, 11), isWholeContent: true).Name);
    }

    [Fact]
    public void First_lines_leave_out_a_line_the_prefix_cut_short_and_the_BOM()
    {
        var content = (byte[])[0xEF, 0xBB, 0xBF, .. Bytes("工号\t时间\r\n7\t2025-06-02 08:57:31\r\n8\t2025-06-02 08:5")];
        var encoding = ExportTextDecoder.Detect(content, isWholeContent: false);

        Assert.Equal(["工号\t时间", "7\t2025-06-02 08:57:31"], ExportTextDecoder.FirstLines(content, false, encoding, 50));
        Assert.Equal(3, ExportTextDecoder.FirstLines(content, true, encoding, 50).Count);
        Assert.Single(ExportTextDecoder.FirstLines(content, true, encoding, 1));
    }
}

/// <summary>Detection decodes only as far as the lines it looks at; the lines are those of the whole prefix.</summary>
public sealed class ExportTextDecoderFirstLinesPropertyTests
{
    [Fact]
    public void First_lines_are_those_of_the_whole_decoded_prefix()
    {
        var text = Gen.Char["a7,\t 张\r\n"].Array[0, 400].Select(chars => new string(chars));
        Check.Sample(Gen.Select(text, Gen.Bool, Gen.Int[1, 60]), (body, isWholeContent, maxLines) =>
        {
            var content = Bytes(body);
            var encoding = ExportTextDecoder.Detect(content, isWholeContent);

            Assert.Equal(WholePrefixLines(body, isWholeContent, maxLines), ExportTextDecoder.FirstLines(content, isWholeContent, encoding, maxLines));
        });
    }

    /// <summary>
    /// The lines of the whole decoded prefix, split independently of the readers: CRLF, CR or LF ends a line, a break
    /// at the very end starts none, and a prefix that is not the whole file loses the line it cut short.
    /// </summary>
    private static List<string> WholePrefixLines(string text, bool isWholeContent, int maxLines)
    {
        var lines = Regex.Split(text, "\r\n|\r|\n").ToList();
        if (text.Length == 0 || text[^1] is '\r' or '\n' || !isWholeContent)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return [.. lines.Take(maxLines)];
    }
}
