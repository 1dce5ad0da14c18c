using ClockSync.Exports.Text;

namespace ClockSync.Tests.Exports;

public sealed class BoundedLineReaderTests
{
    private static List<(LineReadResult Result, long Number, string Text, bool Blank)> ReadAll(TextReader text, int maxLineLength = 16)
    {
        var lines = new List<(LineReadResult, long, string, bool)>();
        using var reader = new BoundedLineReader(text, maxLineLength);
        LineReadResult result;
        while ((result = reader.Read()) != LineReadResult.End)
        {
            lines.Add((result, reader.LineNumber, result == LineReadResult.Line ? reader.Current.ToString() : string.Empty, reader.OverLongLineWasBlank));
        }

        return lines;
    }

    [Theory]
    [InlineData("a\r\nb\r\nc\r\n")]
    [InlineData("a\nb\nc\n")]
    [InlineData("a\rb\rc\r")]
    [InlineData("a\r\nb\nc")]
    [InlineData("a\rb\r\nc")]
    public void Splits_CRLF_LF_and_CR_lines_with_their_numbers(string text)
    {
        var lines = ReadAll(new StringReader(text));

        Assert.Equal([(LineReadResult.Line, 1L, "a", false), (LineReadResult.Line, 2L, "b", false), (LineReadResult.Line, 3L, "c", false)], lines);
    }

    [Fact]
    public void Counts_empty_lines_but_no_extra_line_after_the_last_break()
    {
        var lines = ReadAll(new StringReader("\n\r\n\rx\n"));

        Assert.Equal(["", "", "", "x"], lines.Select(l => l.Text));
        Assert.Equal([1L, 2, 3, 4], lines.Select(l => l.Number));
    }

    [Fact]
    public void Empty_text_has_no_lines()
    {
        Assert.Empty(ReadAll(new StringReader(string.Empty)));
    }

    [Fact]
    public void A_CRLF_split_across_reads_is_one_break()
    {
        // Each Read hands out one character, so CR and LF always arrive separately.
        var lines = ReadAll(new OneCharReader("ab\r\ncd\r\n\r\nef"));

        Assert.Equal(["ab", "cd", "", "ef"], lines.Select(l => l.Text));
    }

    [Fact]
    public void A_line_at_the_limit_is_kept_and_one_over_is_reported_over_long_and_skipped()
    {
        var atLimit = new string('x', 16);
        var overLimit = new string('y', 17);
        var lines = ReadAll(new StringReader($"{atLimit}\n{overLimit}\r\nafter\n"));

        Assert.Equal((LineReadResult.Line, 1L, atLimit, false), lines[0]);
        Assert.Equal(LineReadResult.OverLong, lines[1].Result);
        Assert.Equal(2, lines[1].Number);
        Assert.False(lines[1].Blank);
        Assert.Equal((LineReadResult.Line, 3L, "after", false), lines[2]);
        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public void A_huge_line_is_skipped_without_holding_it()
    {
        // 10 million characters streamed in pieces; the reader keeps only its 17-character buffer.
        var lines = ReadAll(new GeneratedLineReader(10_000_000, "tail"));

        Assert.Equal(2, lines.Count);
        Assert.Equal(LineReadResult.OverLong, lines[0].Result);
        Assert.Equal((LineReadResult.Line, 2L, "tail", false), lines[1]);
    }

    [Fact]
    public void An_over_long_run_of_NULs_is_reported_blank_and_an_over_long_last_line_ends_the_text()
    {
        var lines = ReadAll(new StringReader("ok\n" + new string('\0', 100) + "\n" + new string('z', 40)));

        Assert.Equal(3, lines.Count);
        Assert.True(lines[1].Blank);
        Assert.Equal(LineReadResult.OverLong, lines[2].Result);
        Assert.False(lines[2].Blank);
    }

    [Fact]
    public void NULs_inside_a_line_are_ordinary_characters()
    {
        var lines = ReadAll(new StringReader("a\0b\n\0\0\n"));

        Assert.Equal(["a\0b", "\0\0"], lines.Select(l => l.Text));
    }

    private sealed class OneCharReader(string text) : TextReader
    {
        private int _position;

        public override int Read(Span<char> buffer)
        {
            if (_position == text.Length || buffer.IsEmpty)
            {
                return 0;
            }

            buffer[0] = text[_position++];
            return 1;
        }
    }

    /// <summary>One line of <c>length</c> characters, then a break and <c>tail</c>, produced on demand.</summary>
    private sealed class GeneratedLineReader(int length, string tail) : TextReader
    {
        private readonly string _end = "\n" + tail;
        private long _position;

        public override int Read(Span<char> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < length + _end.Length)
            {
                buffer[written++] = _position < length ? 'q' : _end[(int)(_position - length)];
                _position++;
            }

            return written;
        }
    }
}
