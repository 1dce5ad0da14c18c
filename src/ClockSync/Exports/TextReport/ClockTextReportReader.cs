using ClockSync.Exports.Text;

namespace ClockSync.Exports.TextReport;

/// <summary>
/// A standalone clock's own USB report (<c>GLG_001.TXT</c>, <c>AGLog_001.txt</c>): a tab-separated header
/// <c>No, Mchn, EnNo, Name, Mode, IOMd, DateTime</c>, then one punch per line. Enrol numbers are zero-padded
/// (<see cref="UserKeys"/> strips the padding so they match attlog PINs), doubled tabs make empty columns, and the
/// date-time has two spaces in it. <c>Mchn</c>/<c>TMNo</c> is the device, <c>IOMd</c> the direction.
/// </summary>
/// <remarks>
/// Lines before the header are title rows and are skipped, unless one holds a date-time (then it is a punch that cannot
/// be read without the header, and is rejected rather than silently lost, as happens when the format is forced on a
/// file without a header). A repeated header (reports appended to each other) is skipped.
/// </remarks>
public sealed class ClockTextReportReader : ITextExportReader
{
    private const string BeforeHeader =
        "holds a date-time but comes before the No/Mchn/EnNo/Name/Mode/IOMd/DateTime header, so its columns are unknown";

    private const string OverLong = "is longer than the longest line an export can have; skipped to its end";

    public ExportFormat Format => ExportFormat.ClockTextReport;

    public IEnumerable<RawRecord> Read(TextReader text, ExportReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        return ReadLines(text, options.DateOrder, cancellationToken);
    }

    private static IEnumerable<RawRecord> ReadLines(TextReader text, DateOrder dateOrder, CancellationToken cancellationToken)
    {
        using var lines = new BoundedLineReader(text);
        var rows = new RowParser(dateOrder);
        ClockTextReportHeader? header = null;

        LineReadResult result;
        while ((result = lines.Read()) != LineReadResult.End)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lineNumber = lines.LineNumber;
            if (result == LineReadResult.OverLong)
            {
                yield return lines.OverLongLineWasBlank
                    ? RawRecord.Skipped(lineNumber)
                    : RawRecord.Rejected(lineNumber, "line", OverLong);
                continue;
            }

            if (BlankText.IsBlank(lines.Current))
            {
                yield return RawRecord.Skipped(lineNumber);
            }
            else if (ClockTextReportHeader.TryParse(lines.Current, out var found))
            {
                header = found;
                yield return RawRecord.Skipped(lineNumber);
            }
            else if (header is { } columns)
            {
                yield return rows.Parse(lines.Current, lineNumber, columns);
            }
            else
            {
                yield return RowParser.HoldsDateTime(lines.Current, dateOrder)
                    ? RawRecord.Rejected(lineNumber, "line", BeforeHeader)
                    : RawRecord.Skipped(lineNumber);
            }
        }
    }

    private sealed class RowParser(DateOrder dateOrder)
    {
        private readonly LineValuePool _keys = new();
        private readonly LineValuePool _devices = new(capacity: 1024);
        private readonly LineValuePool _directions = new(capacity: 256);
        private readonly LineValuePool _names = new();

        public static bool HoldsDateTime(ReadOnlySpan<char> line, DateOrder dateOrder)
        {
            foreach (var range in line.Split('\t'))
            {
                if (ExportTimeParser.TryParse(line[range], dateOrder, out _, out _))
                {
                    return true;
                }
            }

            return false;
        }

        public RawRecord Parse(ReadOnlySpan<char> line, long lineNumber, ClockTextReportHeader header)
        {
            Span<Range> fields = stackalloc Range[ClockTextReportHeader.MaxColumns + 1];
            var count = line.Split(fields, '\t');

            if (header.UserKey >= count)
            {
                return RawRecord.Rejected(lineNumber, "user", $"user key (EnNo) is missing: the line has {count} columns");
            }

            if (!UserKeys.TryNormaliseSlice(line[fields[header.UserKey]], out var key, out var keyProblem))
            {
                return RawRecord.Rejected(lineNumber, "user", keyProblem!);
            }

            if (header.Time >= count)
            {
                return RawRecord.Rejected(lineNumber, "time", $"time (DateTime) is missing: the line has {count} columns");
            }

            var timeText = line[fields[header.Time]];
            if (!ExportTimeParser.TryParse(timeText, dateOrder, out var time, out var timeProblem))
            {
                return RawRecord.Rejected(lineNumber, "time", TimeRejection.Reason(timeText, timeProblem));
            }

            return new RawRecord
            {
                Line = lineNumber,
                Kind = RawRecordKind.Punch,
                UserKey = _keys.Get(key),
                Time = time,
                Device = Column(line, fields, count, header.Device, _devices),
                Direction = Column(line, fields, count, header.Direction, _directions),
                Name = Column(line, fields, count, header.Name, _names),
            };
        }

        private static string? Column(ReadOnlySpan<char> line, Span<Range> fields, int count, int index, LineValuePool pool) =>
            index >= 0 && index < count ? pool.GetOrNull(line[fields[index]]) : null;
    }
}
