using ClockSync.Exports.Text;

namespace ClockSync.Exports.ZkTeco;

/// <summary>What a ZKTeco line is, before it is parsed.</summary>
internal enum ZkTecoLineShape
{
    /// <summary>Nothing but whitespace and NULs.</summary>
    Blank,

    /// <summary>One short word: a device serial number (first line) or a checksum (last line) on some firmwares.</summary>
    SingleToken,

    /// <summary>Anything else: meant as a record.</summary>
    Record,
}

/// <summary>
/// Parses one line of a ZKTeco tab-separated log into a record, without allocating for values seen before.
/// Fields are separated by tabs only: the PIN is padded with spaces and the time holds one, so spaces cannot separate
/// fields. Files with spaces instead of tabs are not a shape seen in docs/clock-formats.md; their lines are rejected with a
/// reason that says so rather than guessed at. Fields after the work code (extra on some firmwares) are ignored.
/// </summary>
internal sealed class ZkTecoLineParser
{
    /// <summary>Longest word treated as a serial number or checksum line.</summary>
    private const int MaxTokenLength = 64;

    private const string NotTabSeparated =
        "is not an attlog record: expected tab-separated fields (PIN, date-time, …) but found no tab";

    private readonly ZkTecoLineLayout _layout;
    private readonly DateOrder _dateOrder;
    private readonly LineValuePool _keys = new();
    private readonly LineValuePool _devices = new(capacity: 1024);
    private readonly LineValuePool _directions = new(capacity: 256);

    public ZkTecoLineParser(ZkTecoLineLayout layout, DateOrder dateOrder)
    {
        _layout = layout;
        _dateOrder = dateOrder;
    }

    public static ZkTecoLineShape Classify(ReadOnlySpan<char> line)
    {
        var text = BlankText.Trim(line);
        if (text.IsEmpty)
        {
            return ZkTecoLineShape.Blank;
        }

        return text.Length <= MaxTokenLength && BlankText.IsWord(text) ? ZkTecoLineShape.SingleToken : ZkTecoLineShape.Record;
    }

    /// <summary>
    /// Whether a line is a well-formed record: a usable PIN and a parseable time in the first two tab-separated fields.
    /// Used by format detection.
    /// </summary>
    public static bool LooksLikeRecord(ReadOnlySpan<char> line, DateOrder dateOrder)
    {
        var tab = line.IndexOf('\t');
        if (tab < 0)
        {
            return false;
        }

        var rest = line[(tab + 1)..];
        var nextTab = rest.IndexOf('\t');
        var timeText = nextTab < 0 ? rest : rest[..nextTab];
        var pin = BlankText.Trim(line[..tab]);
        return UserKeys.TryNormaliseSlice(pin, out _, out _)
            && BlankText.IsWord(pin)
            && ExportTimeParser.TryParse(timeText, dateOrder, out _, out _);
    }

    public RawRecord Parse(ReadOnlySpan<char> line, long lineNumber)
    {
        // PIN, time, and the next three fields; whatever follows stays in the last range and is ignored.
        Span<Range> fields = stackalloc Range[5];
        var count = line.Split(fields, '\t');
        if (count < 2)
        {
            return RawRecord.Rejected(lineNumber, "line", NotTabSeparated);
        }

        if (!UserKeys.TryNormaliseSlice(line[fields[0]], out var key, out var keyProblem))
        {
            return RawRecord.Rejected(lineNumber, "user", keyProblem!);
        }

        var timeText = line[fields[1]];
        if (!ExportTimeParser.TryParse(timeText, _dateOrder, out var time, out var timeProblem))
        {
            return RawRecord.Rejected(lineNumber, "time", TimeRejection.Reason(timeText, timeProblem));
        }

        return new RawRecord
        {
            Line = lineNumber,
            Kind = RawRecordKind.Punch,
            UserKey = _keys.Get(key),
            Time = time,
            Device = Field(line, fields, count, _layout.DeviceField, _devices),
            Direction = Field(line, fields, count, _layout.DirectionField, _directions),
        };
    }

    private static string? Field(ReadOnlySpan<char> line, Span<Range> fields, int count, int index, LineValuePool pool)
    {
        if (index < 0 || index >= count)
        {
            return null;
        }

        var text = line[fields[index]];

        // The last range holds the rest of the line when there are more fields than ranges.
        if (index == fields.Length - 1)
        {
            var tab = text.IndexOf('\t');
            text = tab < 0 ? text : text[..tab];
        }

        return pool.GetOrNull(text);
    }
}
