using System.Buffers;

namespace ClockSync.Exports;

/// <summary>What <see cref="DelimitedScanner"/> found next.</summary>
internal enum ScanResult : byte
{
    /// <summary>No more input.</summary>
    End,

    /// <summary>A line (or record) was read; its fields are available until the next read.</summary>
    Read,

    /// <summary>A line longer than the limit was skipped without being buffered whole.</summary>
    TooLong,

    /// <summary>
    /// A quoted field opened on this line was not closed within the limit or before the end of the input: that first
    /// line alone is consumed (and should be rejected); reading resumes on the next physical line.
    /// </summary>
    UnclosedQuote,
}

/// <summary>
/// A streaming RFC 4180 tokenizer over a <see cref="TextReader"/>: comma, tab or semicolon, fields quoted with
/// doubled quotes, line breaks inside quoted fields, stray quotes inside unquoted fields taken literally, CRLF, LF or
/// CR. Fields are handed out as spans into its own buffer (no string per field). Memory is bounded: a record may not
/// exceed <c>maxRecordChars</c>; the buffer holds twice that, so an unclosed quote can be rewound to its own line.
/// </summary>
internal sealed class DelimitedScanner
{
    public const int DefaultMaxRecordChars = 64 * 1024;

    private static readonly SearchValues<char> LineEndOrQuote = SearchValues.Create("\r\n\"");

    private const byte PlainField = 0;
    private const byte QuotedField = 1;
    private const byte QuotedWithEscapes = 2;

    private readonly TextReader _reader;
    private readonly int _maxRecordChars;
    private readonly char[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _nextLine = 1;
    private int[] _fieldStarts = new int[16];
    private int[] _fieldLengths = new int[16];
    private byte[] _fieldKinds = new byte[16];
    private int _fieldCount;

    public DelimitedScanner(TextReader reader, int maxRecordChars = DefaultMaxRecordChars)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordChars, 16);
        _reader = reader;
        _maxRecordChars = maxRecordChars;
        _buffer = new char[Math.Max(2 * maxRecordChars, 4096)];
    }

    public char Delimiter { get; set; } = ',';

    public int MaxRecordChars => _maxRecordChars;

    /// <summary>1-based physical line on which the last line or record read starts.</summary>
    public long Line { get; private set; }

    public int FieldCount => _fieldCount;

    /// <summary>A field of the last record, unquoted; empty when the record is shorter.</summary>
    public ReadOnlySpan<char> Field(int index) =>
        (uint)index < (uint)_fieldCount ? _buffer.AsSpan(_fieldStarts[index], _fieldLengths[index]) : default;

    public bool AllFieldsBlank()
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            if (!Field(i).IsWhiteSpace())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads one physical line, ignoring quotes (used before the header tells the delimiter).</summary>
    public ScanResult ReadLine(out ReadOnlySpan<char> line)
    {
        line = default;
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var stop = data.IndexOfAny('\r', '\n');
            if (stop > _maxRecordChars || (stop < 0 && data.Length > _maxRecordChars))
            {
                SkipThroughLineBreak();
                Line = _nextLine++;
                return ScanResult.TooLong;
            }

            // A CR at the very end might be the first half of CRLF: look further before deciding.
            if (stop >= 0 && (data[stop] == '\n' || stop + 1 < data.Length || _eof))
            {
                Line = _nextLine++;
                line = data[..stop];
                _start += stop + 1;
                if (data[stop] == '\r' && stop + 1 < data.Length && data[stop + 1] == '\n')
                {
                    _start++;
                }

                return ScanResult.Read;
            }

            if (stop < 0 && _eof)
            {
                if (data.IsEmpty)
                {
                    return ScanResult.End;
                }

                Line = _nextLine++;
                line = data;
                _start = _end;
                return ScanResult.Read;
            }

            Fill();
        }
    }

    /// <summary>Reads one record: one physical line, or several when a quoted field holds line breaks.</summary>
    public ScanResult ReadRecord()
    {
        while (true)
        {
            var scanned = TryScanRecord(out var innerLineBreaks);
            switch (scanned)
            {
                case Scan.Complete:
                    Line = _nextLine;
                    _nextLine += 1 + innerLineBreaks;
                    return ScanResult.Read;
                case Scan.Empty:
                    return ScanResult.End;
                case Scan.UnclosedAtEnd:
                    return RejectFirstLineOfRecord();
                case Scan.TooLong:
                    return RefuseTooLongRecord();
                default:
                    break;
            }

            if (_end - _start >= _maxRecordChars)
            {
                return RefuseTooLongRecord();
            }

            Fill();
        }
    }

    private enum Scan : byte
    {
        Complete,
        NeedMore,
        Empty,
        UnclosedAtEnd,
        TooLong,
    }

    /// <summary>
    /// A record past the limit: when its first physical line alone is too long, that line is skipped; when it spans
    /// lines, a quote opened on the first line ran on, and only that first line is given up.
    /// </summary>
    private ScanResult RefuseTooLongRecord()
    {
        var firstBreak = _buffer.AsSpan(_start, _end - _start).IndexOfAny('\r', '\n');
        return firstBreak < 0 || firstBreak > _maxRecordChars ? SkipTooLongLine() : RejectFirstLineOfRecord();
    }

    private ScanResult SkipTooLongLine()
    {
        SkipThroughLineBreak();
        Line = _nextLine++;
        return ScanResult.TooLong;
    }

    private ScanResult RejectFirstLineOfRecord()
    {
        Line = _nextLine++;
        _fieldCount = 0;
        var stop = _buffer.AsSpan(_start, _end - _start).IndexOfAny('\r', '\n');
        if (stop < 0)
        {
            _start = _end;
            return ScanResult.UnclosedQuote;
        }

        _start += stop;
        SkipThroughLineBreak();
        return ScanResult.UnclosedQuote;
    }

    /// <summary>
    /// Finds the extent and fields of the record at <c>_start</c> without changing the buffer, so that it can be
    /// restarted after more input is read. Quoted fields with escapes are unquoted in place only once complete.
    /// </summary>
    private Scan TryScanRecord(out int innerLineBreaks)
    {
        innerLineBreaks = 0;
        _fieldCount = 0;
        if (_start == _end)
        {
            return _eof ? Scan.Empty : Scan.NeedMore;
        }

        if (TryScanQuotelessLine(out var scanned))
        {
            return scanned;
        }

        var buffer = _buffer;
        var delimiter = Delimiter;
        var end = _end;
        var pos = _start;
        var hasEscapes = false;
        while (true)
        {
            var fieldStart = pos;
            byte kind = PlainField;
            if (pos < end && buffer[pos] == '"')
            {
                kind = QuotedField;
                var p = pos + 1;
                while (true)
                {
                    var quote = buffer.AsSpan(p, end - p).IndexOf('"');
                    if (quote < 0)
                    {
                        return _eof ? Scan.UnclosedAtEnd : Scan.NeedMore;
                    }

                    innerLineBreaks += CountLineBreaks(buffer.AsSpan(p, quote));
                    p += quote + 1;
                    if (p == end && !_eof)
                    {
                        return Scan.NeedMore;
                    }

                    if (p < end && buffer[p] == '"')
                    {
                        kind = QuotedWithEscapes;
                        p++;
                        continue;
                    }

                    break;
                }

                // Text after the closing quote ("abc"def) is kept, as spreadsheet programs do.
                var rest = buffer.AsSpan(p, end - p).IndexOfAny(delimiter, '\r', '\n');
                if (rest < 0)
                {
                    if (!_eof)
                    {
                        return Scan.NeedMore;
                    }

                    rest = end - p;
                }

                if (rest > 0)
                {
                    kind = QuotedWithEscapes;
                }

                pos = p + rest;
            }
            else
            {
                var stop = buffer.AsSpan(pos, end - pos).IndexOfAny(delimiter, '\r', '\n');
                if (stop < 0)
                {
                    if (!_eof)
                    {
                        return Scan.NeedMore;
                    }

                    stop = end - pos;
                }

                pos += stop;
            }

            hasEscapes |= kind == QuotedWithEscapes;
            AddField(fieldStart, pos - fieldStart, kind);
            if (pos == end)
            {
                break;
            }

            var c = buffer[pos];
            if (c == delimiter)
            {
                pos++;
                continue;
            }

            if (c == '\r')
            {
                if (pos + 1 == end && !_eof)
                {
                    return Scan.NeedMore;
                }

                pos += pos + 1 < end && buffer[pos + 1] == '\n' ? 2 : 1;
            }
            else
            {
                pos++;
            }

            break;
        }

        // The buffer holds more than one record's worth, so a record can complete past the limit (a quote closed
        // hundreds of lines later); it is refused like one that never completes.
        if (pos - _start > _maxRecordChars)
        {
            return Scan.TooLong;
        }

        _start = pos;

        FinishFields(hasEscapes);
        return Scan.Complete;
    }

    /// <summary>
    /// The common case, done fast: the record is a physical line without quotes. One search finds the line's end,
    /// then the fields are cut at the delimiter. Anything else (a quote, no line end buffered yet) goes the slow way.
    /// </summary>
    private bool TryScanQuotelessLine(out Scan scanned)
    {
        scanned = Scan.Complete;
        var data = _buffer.AsSpan(_start, _end - _start);
        var stop = data.IndexOfAny(LineEndOrQuote);
        if (stop < 0 || data[stop] == '"' || (data[stop] == '\r' && stop + 1 == data.Length && !_eof))
        {
            return false;
        }

        if (stop > _maxRecordChars)
        {
            scanned = Scan.TooLong;
            return true;
        }

        var line = data[..stop];
        var delimiter = Delimiter;
        var offset = 0;
        while (true)
        {
            var next = line[offset..].IndexOf(delimiter);
            if (next < 0)
            {
                AddField(_start + offset, line.Length - offset, PlainField);
                break;
            }

            AddField(_start + offset, next, PlainField);
            offset += next + 1;
        }

        var lineBreak = data[stop] == '\r' && stop + 1 < data.Length && data[stop + 1] == '\n' ? 2 : 1;
        _start += stop + lineBreak;
        return true;
    }

    private void AddField(int start, int length, byte kind)
    {
        if (_fieldCount == _fieldStarts.Length)
        {
            Array.Resize(ref _fieldStarts, _fieldCount * 2);
            Array.Resize(ref _fieldLengths, _fieldCount * 2);
            Array.Resize(ref _fieldKinds, _fieldCount * 2);
        }

        _fieldStarts[_fieldCount] = start;
        _fieldLengths[_fieldCount] = length;
        _fieldKinds[_fieldCount] = kind;
        _fieldCount++;
    }

    private void FinishFields(bool hasEscapes)
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            switch (_fieldKinds[i])
            {
                case QuotedField:
                    _fieldStarts[i]++;
                    _fieldLengths[i] -= 2;
                    break;
                case QuotedWithEscapes when hasEscapes:
                    _fieldLengths[i] = UnquoteInPlace(_fieldStarts[i], _fieldStarts[i] + _fieldLengths[i]);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Removes the quotes of <c>"a""b"c</c> (giving <c>a"bc</c>) in place; the result is never longer.</summary>
    private int UnquoteInPlace(int rawStart, int rawEnd)
    {
        var buffer = _buffer;
        var write = rawStart;
        var read = rawStart + 1;
        var inQuotes = true;
        while (read < rawEnd)
        {
            var c = buffer[read];
            if (inQuotes && c == '"')
            {
                if (read + 1 < rawEnd && buffer[read + 1] == '"')
                {
                    buffer[write++] = '"';
                    read += 2;
                }
                else
                {
                    inQuotes = false;
                    read++;
                }

                continue;
            }

            buffer[write++] = c;
            read++;
        }

        return write - rawStart;
    }

    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        var count = text.Count('\n');
        if (text.Contains('\r'))
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Discards input up to and including the next line break, reading more as needed.</summary>
    private void SkipThroughLineBreak()
    {
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var stop = data.IndexOfAny('\r', '\n');
            if (stop >= 0)
            {
                var wasCarriageReturn = data[stop] == '\r';
                _start += stop + 1;
                if (wasCarriageReturn)
                {
                    if (_start == _end && !_eof)
                    {
                        Fill();
                    }

                    if (_start < _end && _buffer[_start] == '\n')
                    {
                        _start++;
                    }
                }

                return;
            }

            _start = _end;
            if (_eof)
            {
                return;
            }

            Fill();
        }
    }

    /// <summary>Moves the unread part to the front of the buffer and reads more after it.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }

    /// <summary>Splits one complete line (a header candidate) into unquoted cells.</summary>
    public static List<string> SplitLine(ReadOnlySpan<char> line, char delimiter)
    {
        var cells = new List<string>();
        var pos = 0;
        while (true)
        {
            var cell = new System.Text.StringBuilder();
            if (pos < line.Length && line[pos] == '"')
            {
                pos++;
                while (pos < line.Length)
                {
                    if (line[pos] == '"')
                    {
                        if (pos + 1 < line.Length && line[pos + 1] == '"')
                        {
                            cell.Append('"');
                            pos += 2;
                            continue;
                        }

                        pos++;
                        break;
                    }

                    cell.Append(line[pos++]);
                }
            }

            var stop = line[pos..].IndexOf(delimiter);
            var rest = stop < 0 ? line[pos..] : line.Slice(pos, stop);
            cell.Append(rest);
            cells.Add(cell.ToString());
            if (stop < 0)
            {
                return cells;
            }

            pos += stop + 1;
        }
    }
}
