using System.Buffers;

namespace ClockSync.Exports.Text;

/// <summary>What <see cref="BoundedLineReader.Read"/> found.</summary>
public enum LineReadResult
{
    /// <summary>No more lines.</summary>
    End,

    /// <summary>A line; its text is <see cref="BoundedLineReader.Current"/>.</summary>
    Line,

    /// <summary>A line longer than the limit. It was skipped to its end and its text is not kept.</summary>
    OverLong,
}

/// <summary>
/// Splits text into physical lines (CRLF, LF or CR) with their 1-based numbers, in one fixed buffer: no allocation
/// per line, and a line longer than the limit is reported as <see cref="LineReadResult.OverLong"/> and skipped
/// without growing memory. NULs are ordinary characters here; readers treat them as blank.
/// </summary>
/// <remarks>
/// A file ending with a line break has no extra empty last line; text after the last break is a line. A CR followed
/// by LF is one break, even when a read boundary falls between them.
/// </remarks>
public sealed class BoundedLineReader : IDisposable
{
    /// <summary>Longest line kept, in characters. Real export lines are under 1 KiB.</summary>
    public const int DefaultMaxLineLength = 64 * 1024;

    private static readonly SearchValues<char> Breaks = SearchValues.Create("\r\n");

    private readonly TextReader _text;
    private readonly int _maxLineLength;
    private char[]? _buffer;
    private int _start;
    private int _end;
    private bool _endOfText;
    private bool _skipLineFeed;
    private int _lineStart;
    private int _lineLength;

    public BoundedLineReader(TextReader text, int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        _text = text;
        _maxLineLength = maxLineLength;

        // One more than the limit: a full buffer without a break is a line longer than the limit.
        _buffer = ArrayPool<char>.Shared.Rent(maxLineLength + 1);
    }

    /// <summary>1-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The text of the line last returned, without its break. Valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<char> Current => Buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>After <see cref="LineReadResult.OverLong"/>: whether that line held only whitespace and NULs.</summary>
    public bool OverLongLineWasBlank { get; private set; }

    private char[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(BoundedLineReader));

    public LineReadResult Read()
    {
        var buffer = Buffer;
        _lineLength = 0;
        if (_skipLineFeed)
        {
            if (_start == _end && !Fill(buffer))
            {
                return LineReadResult.End;
            }

            _skipLineFeed = false;
            if (buffer[_start] == '\n')
            {
                _start++;
            }
        }

        var scanFrom = _start;
        while (true)
        {
            var found = buffer.AsSpan(scanFrom, _end - scanFrom).IndexOfAny(Breaks);
            if (found >= 0)
            {
                var lineBreak = scanFrom + found;
                _lineStart = _start;
                _lineLength = lineBreak - _start;
                _skipLineFeed = buffer[lineBreak] == '\r';
                _start = lineBreak + 1;
                LineNumber++;
                return LineReadResult.Line;
            }

            scanFrom = _end;
            if (_endOfText)
            {
                if (_end == _start)
                {
                    return LineReadResult.End;
                }

                _lineStart = _start;
                _lineLength = _end - _start;
                _start = _end;
                LineNumber++;
                return LineReadResult.Line;
            }

            if (_start > 0)
            {
                buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
                scanFrom -= _start;
                _end -= _start;
                _start = 0;
            }

            if (_end > _maxLineLength)
            {
                SkipOverLongLine(buffer);
                LineNumber++;
                return LineReadResult.OverLong;
            }

            var read = _text.Read(buffer.AsSpan(_end, Math.Min(buffer.Length, _maxLineLength + 1) - _end));
            if (read == 0)
            {
                _endOfText = true;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    /// <summary>Reads more text into an empty buffer; false at the end of the text.</summary>
    private bool Fill(char[] buffer)
    {
        if (_endOfText)
        {
            return false;
        }

        _start = 0;
        _end = _text.Read(buffer.AsSpan(0, _maxLineLength + 1));
        _endOfText = _end == 0;
        return !_endOfText;
    }

    /// <summary>Discards the rest of an over-long line, reusing the buffer, and leaves what follows its break.</summary>
    private void SkipOverLongLine(char[] buffer)
    {
        var blank = BlankText.IsBlank(buffer.AsSpan(0, _end));
        while (true)
        {
            if (!Fill(buffer))
            {
                _start = _end = 0;
                break;
            }

            var found = buffer.AsSpan(0, _end).IndexOfAny(Breaks);
            if (found >= 0)
            {
                blank &= BlankText.IsBlank(buffer.AsSpan(0, found));
                _skipLineFeed = buffer[found] == '\r';
                _start = found + 1;
                break;
            }

            blank &= BlankText.IsBlank(buffer.AsSpan(0, _end));
        }

        OverLongLineWasBlank = blank;
    }
}
