using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;

namespace ClockSync.Exports.Delimited;

/// <summary>
/// A streaming RFC 4180 tokenizer over UTF-16 characters (a decoded <see cref="TextReader"/>) or UTF-8 bytes (the
/// raw stream, so that most files are never decoded whole): comma, tab or semicolon, fields quoted with doubled
/// quotes, line breaks inside quoted fields, stray quotes inside unquoted fields taken literally, CRLF, LF or CR. All
/// of these are ASCII, and no byte of a multi-byte UTF-8 character is, so scanning bytes cuts exactly where scanning
/// the decoded characters would. Fields are handed out as spans into its own buffer (no string per field). Memory is
/// bounded: a record may not exceed <c>maxRecordLength</c> units; the buffer holds twice that, so an unclosed quote
/// can be rewound to its own line.
/// </summary>
/// <typeparam name="T"><see cref="char"/> or <see cref="byte"/>.</typeparam>
internal sealed partial class DelimitedScanner<T> : IDisposable
    where T : unmanaged, IBinaryInteger<T>
{
    private static readonly T Quote = T.CreateTruncating('"');
    private static readonly T CarriageReturn = T.CreateTruncating('\r');
    private static readonly T LineFeed = T.CreateTruncating('\n');
    private static readonly SearchValues<T> LineEndOrQuote = AsciiSearchValues("\r\n\"");

    /// <summary>Bytes looked at in one step by the vectorised scan; the buffer has this much slack after its capacity.</summary>
    public const int BlockLength = 32;

    /// <summary>Units a refill waits for (unless the input ends first).</summary>
    private const int MinimumRead = 4096;

    private const byte PlainField = 0;
    private const byte QuotedField = 1;
    private const byte QuotedWithEscapes = 2;

    private readonly IUnitSource<T> _source;
    private readonly int _maxRecordLength;
    private readonly int _capacity;
    private T[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _nextLine = 1;
    private int[] _fieldStarts = new int[16];
    private int[] _fieldLengths = new int[16];
    private byte[] _fieldKinds = new byte[16];
    private int _fieldCount;
    private T _delimiter = T.CreateTruncating(',');

    public DelimitedScanner(IUnitSource<T> source, int maxRecordLength = DelimitedScanner.DefaultMaxRecordLength)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordLength, 16);
        _source = source;
        _maxRecordLength = maxRecordLength;
        _capacity = Math.Max(2 * maxRecordLength, 4096);

        // Rented: a new buffer this size per file would be a large-object allocation, whose fresh pages cost more
        // than reading a small file. Nothing is read from it beyond what was written, except masked vector slack.
        _buffer = ArrayPool<T>.Shared.Rent(_capacity + BlockLength);
    }

    /// <summary>Gives the buffer back; the scanner must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>The field separator, an ASCII character (set once the header row has told it).</summary>
    public char Delimiter
    {
        get => (char)ushort.CreateTruncating(_delimiter);
        set => _delimiter = T.CreateTruncating(value);
    }

    public int MaxRecordLength => _maxRecordLength;

    /// <summary>1-based physical line on which the last line or record read starts.</summary>
    public long Line { get; private set; }

    public int FieldCount => _fieldCount;

    /// <summary>Reads one physical line, ignoring quotes (used before the header tells the delimiter).</summary>
    public ScanResult ReadLine(out ReadOnlySpan<T> line)
    {
        line = default;
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var stop = data.IndexOfAny(CarriageReturn, LineFeed);
            if (stop > _maxRecordLength || (stop < 0 && data.Length > _maxRecordLength))
            {
                SkipThroughLineBreak();
                Line = _nextLine++;
                return ScanResult.TooLong;
            }

            // A CR at the very end might be the first half of CRLF: look further before deciding.
            if (stop >= 0 && (data[stop] == LineFeed || stop + 1 < data.Length || _eof))
            {
                Line = _nextLine++;
                line = data[..stop];
                _start += stop + 1;
                if (data[stop] == CarriageReturn && stop + 1 < data.Length && data[stop + 1] == LineFeed)
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

            if (_end - _start >= _maxRecordLength)
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
        var delimiter = _delimiter;
        var end = _end;
        var pos = _start;
        var hasEscapes = false;
        while (true)
        {
            var fieldStart = pos;
            byte kind = PlainField;
            if (pos < end && buffer[pos] == Quote)
            {
                kind = QuotedField;
                var p = pos + 1;
                while (true)
                {
                    var quote = buffer.AsSpan(p, end - p).IndexOf(Quote);
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

                    if (p < end && buffer[p] == Quote)
                    {
                        kind = QuotedWithEscapes;
                        p++;
                        continue;
                    }

                    break;
                }

                // Text after the closing quote ("abc"def) is kept, as spreadsheet programs do.
                var rest = buffer.AsSpan(p, end - p).IndexOfAny(delimiter, CarriageReturn, LineFeed);
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
                var stop = buffer.AsSpan(pos, end - pos).IndexOfAny(delimiter, CarriageReturn, LineFeed);
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

            if (c == CarriageReturn)
            {
                if (pos + 1 == end && !_eof)
                {
                    return Scan.NeedMore;
                }

                pos += pos + 1 < end && buffer[pos + 1] == LineFeed ? 2 : 1;
            }
            else
            {
                pos++;
            }

            break;
        }

        // The buffer holds more than one record's worth, so a record can complete past the limit (a quote closed
        // hundreds of lines later); it is refused like one that never completes.
        if (pos - _start > _maxRecordLength)
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
        if (typeof(T) == typeof(byte) && Vector128.IsHardwareAccelerated)
        {
            return TryScanQuotelessBytes(out scanned);
        }

        scanned = Scan.Complete;
        var data = _buffer.AsSpan(_start, _end - _start);
        var stop = data.IndexOfAny(LineEndOrQuote);
        if (stop < 0 || data[stop] == Quote || (data[stop] == CarriageReturn && stop + 1 == data.Length && !_eof))
        {
            return false;
        }

        if (stop > _maxRecordLength)
        {
            scanned = Scan.TooLong;
            return true;
        }

        var line = data[..stop];
        var delimiter = _delimiter;
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

        var lineBreak = data[stop] == CarriageReturn && stop + 1 < data.Length && data[stop + 1] == LineFeed ? 2 : 1;
        _start += stop + lineBreak;
        return true;
    }

    private static int CountLineBreaks(ReadOnlySpan<T> text)
    {
        var count = text.Count(LineFeed);
        if (text.Contains(CarriageReturn))
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == CarriageReturn && (i + 1 == text.Length || text[i + 1] != LineFeed))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The values of an ASCII string as units of <typeparamref name="T"/>, for vectorised searches.</summary>
    private static SearchValues<T> AsciiSearchValues(string ascii) =>
        typeof(T) == typeof(byte)
            ? (SearchValues<T>)(object)SearchValues.Create(Encoding.ASCII.GetBytes(ascii))
            : (SearchValues<T>)(object)SearchValues.Create(ascii);
}
