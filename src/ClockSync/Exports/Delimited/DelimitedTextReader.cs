using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Delimited;

/// <summary>
/// Comma, tab or semicolon separated exports with a header row found by column aliases (see <see cref="HeaderMap"/>).
/// Title rows above the header and the header itself are skipped records. The delimiter is the one that makes the
/// header line a header.
/// </summary>
/// <remarks>
/// Accounting: every line before the header, and every record after it, yields exactly one record, except that a
/// record holding several punches (<see cref="RowPunches"/>) yields one per punch. A record is one physical line
/// unless a quoted field holds line breaks; its <see cref="RawRecord.Line"/> is its first physical line, so for this
/// format a summary's <c>lines</c> must count records, not take the last line number.
/// <para>
/// Two paths, one set of rules: <see cref="Read"/> scans decoded text; <see cref="ReadUtf8"/> (what
/// <see cref="ExportFileReader"/> uses for UTF-8 files, the usual case) scans the bytes and decodes only the cells it
/// keeps, remembering repeated ones by their bytes. Both give the same records for the same text, except that the
/// record length limit counts characters on the first and bytes on the second.
/// </para>
/// </remarks>
public sealed class DelimitedTextReader : ITextExportReader
{
    /// <summary>How many lines may precede the header (report titles, time ranges, blank lines).</summary>
    internal const int HeaderSearchLines = 64;

    private static readonly char[] Delimiters = [',', '\t', ';'];

    private readonly int _maxRecordLength;

    public DelimitedTextReader()
        : this(DelimitedScanner.DefaultMaxRecordLength)
    {
    }

    /// <param name="maxRecordLength">Longest record, in characters (or bytes, on the UTF-8 path).</param>
    internal DelimitedTextReader(int maxRecordLength)
    {
        _maxRecordLength = maxRecordLength;
    }

    public ExportFormat Format => ExportFormat.Delimited;

    /// <summary>Whether a header row that names at least a user key and a time is among these first lines.</summary>
    public static bool CanRead(IReadOnlyList<string> firstLines, ExportReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(firstLines);
        ArgumentNullException.ThrowIfNull(options);
        for (var i = 0; i < firstLines.Count && i < HeaderSearchLines; i++)
        {
            if (firstLines[i] is { } line && line.Length <= DelimitedScanner.DefaultMaxRecordLength
                && TryFindHeader(line, options.Columns, out _, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    /// <exception cref="NotAClockExportException">
    /// While enumerating: no header naming a user key and a time within the first 64 lines.
    /// </exception>
    public IEnumerable<RawRecord> Read(TextReader text, ExportReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        return ReadRecords<char, DecodedCells>(new TextReaderUnits(text), _maxRecordLength, options, cancellationToken);
    }

    /// <summary>
    /// Reads UTF-8 text straight from its bytes, without decoding the whole file: the same records as
    /// <see cref="Read"/> over the decoded text, except that the record length limit counts bytes.
    /// </summary>
    /// <param name="utf8">The text after any byte-order mark.</param>
    /// <exception cref="NotAClockExportException">
    /// While enumerating: no header naming a user key and a time within the first 64 lines.
    /// </exception>
    internal IEnumerable<RawRecord> ReadUtf8(Stream utf8, ExportReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        ArgumentNullException.ThrowIfNull(options);
        return ReadRecords<byte, Utf8Cells>(new StreamUnits(utf8), _maxRecordLength, options, cancellationToken);
    }

    private static IEnumerable<RawRecord> ReadRecords<T, TCells>(
        IUnitSource<T> source, int maxRecordLength, ExportReadOptions options, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T>
    {
        // Created on the first MoveNext; their rented buffers are given back when the enumeration is disposed.
        using var scanner = new DelimitedScanner<T>(source, maxRecordLength);
        using var cells = TCells.Create();
        var header = FindHeader(scanner, cells, options.Columns, cancellationToken, out var headerLine);
        for (var line = 1L; line <= headerLine; line++)
        {
            yield return RawRecord.Skipped(line);
        }

        var reason = $"line is longer than {scanner.MaxRecordLength} {TCells.LengthUnit}";

        // The further records of a line that holds several punches (RowPunches): created at the first such line.
        List<RawRecord>? more = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (scanner.ReadRecord())
            {
                case ScanResult.End:
                    yield break;
                case ScanResult.TooLong:
                    yield return RawRecord.Rejected(scanner.Line, "line", reason);
                    break;
                case ScanResult.UnclosedQuote:
                    yield return RawRecord.Rejected(
                        scanner.Line,
                        "line",
                        "a quoted field opened on this line is never closed; the line is skipped and reading goes on with the next one");
                    break;
                default:
                    yield return ToRecord(scanner, header, options.DateOrder, cells, ref more);
                    if (more is { Count: > 0 })
                    {
                        for (var i = 0; i < more.Count; i++)
                        {
                            yield return more[i];
                        }

                        more.Clear();
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Reads lines until one is a header, and sets the scanner's delimiter from it. Kept out of the record loop so
    /// that the loop's state holds nothing of the search.
    /// </summary>
    /// <exception cref="NotAClockExportException">No header within <see cref="HeaderSearchLines"/> lines.</exception>
    private static HeaderMap FindHeader<T, TCells>(
        DelimitedScanner<T> scanner, TCells cells, ColumnMapping? columns, CancellationToken cancellationToken, out long headerLine)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T>
    {
        // The lines searched, to say which looked most like a header if none is one; created at the first miss.
        List<(long, IReadOnlyList<string>)>? searched = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = scanner.ReadLine(out var line);
            if (result == ScanResult.End || scanner.Line > HeaderSearchLines)
            {
                throw new NotAClockExportException(NoHeaderMessage(columns, HeaderDiagnosis.Describe(searched ?? [], "line")));
            }

            headerLine = scanner.Line;
            if (result != ScanResult.Read)
            {
                continue;
            }

            var text = cells.Text(line);
            if (TryFindHeader(text, columns, out var header, out var delimiter))
            {
                scanner.Delimiter = delimiter;
                return header;
            }

            (searched ??= []).Add((headerLine, HeaderDiagnosis.SplitAnyDelimiter(text)));
        }
    }

    /// <summary>
    /// The line's record; when it holds several punches, the first, and the others in <paramref name="more"/>.
    /// </summary>
    /// <remarks>
    /// The common line (one punch, one time cell) is all this method does: every other layout and every failure goes
    /// to a method of its own, so that this one builds a single record and the JIT keeps it small.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RawRecord ToRecord<T, TCells>(
        DelimitedScanner<T> row, HeaderMap header, DateOrder order, TCells cells, ref List<RawRecord>? more)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T>
    {
        if (!cells.TryUserKey(row, header.UserKey, out var userKey, out var userProblem))
        {
            return NoUserKey(row, cells, userProblem);
        }

        string? problem = null;
        if (!header.IsTimeCard)
        {
            var parsed = header.IsSplitDateTime
                ? cells.TryParseSplit(row.Field(header.Date), row.Field(header.TimeOfDay), order, out var time, out problem)
                : cells.TryParseTime(row.Field(header.DateTime), order, out time, out problem);
            if (parsed)
            {
                return Punch(row, header, cells, userKey, time);
            }
        }

        return NotOnePunch(row, header, order, cells, userKey, problem, ref more);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RawRecord NoUserKey<T, TCells>(DelimitedScanner<T> row, TCells cells, string problem)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T> =>
        AllFieldsBlank(row, cells) ? RawRecord.Skipped(row.Line) : RawRecord.Rejected(row.Line, "user", problem);

    /// <summary>
    /// A line that is not one punch: a repeated header line, a time card's row, several times of the day in the time
    /// cell (split date and time columns), or a rejection.
    /// </summary>
    /// <param name="problem">Why the time cell is not one time; null for a time card.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RawRecord NotOnePunch<T, TCells>(
        DelimitedScanner<T> row, HeaderMap header, DateOrder order, TCells cells, string userKey, string? problem, ref List<RawRecord>? more)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T>
    {
        if (cells.IsRepeatedHeader(header, row.Field(header.UserKey)))
        {
            return RawRecord.Skipped(row.Line);
        }

        if (header.IsTimeCard)
        {
            return TimeCardRecords(row, header, order, cells, Punch(row, header, cells, userKey, default), more ??= []);
        }

        if (header.IsSplitDateTime)
        {
            var dateText = cells.Text(row.Field(header.Date));
            var several = more ??= [];
            if (RowPunches.TryAddSeveral(
                Punch(row, header, cells, userKey, default), cells.Text(row.Field(header.TimeOfDay)), "time", DateOf(dateText, order), several))
            {
                return First(several);
            }
        }

        return RawRecord.Rejected(row.Line, "time", problem!);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RawRecord Punch<T, TCells>(DelimitedScanner<T> row, HeaderMap header, TCells cells, string userKey, ExportTime time)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T> => new()
    {
        Line = row.Line,
        Kind = RawRecordKind.Punch,
        UserKey = userKey,
        Time = time,
        Device = header.Device < 0 ? null : cells.Optional(row, header.Device, PooledColumn.Device),
        Direction = header.Direction < 0 ? null : cells.Optional(row, header.Direction, PooledColumn.Direction),
        Name = header.Name < 0 ? null : cells.Optional(row, header.Name, PooledColumn.Name),
    };

    private static RawRecord TimeCardRecords<T, TCells>(
        DelimitedScanner<T> row, HeaderMap header, DateOrder order, TCells cells, RawRecord punch, List<RawRecord> more)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T>
    {
        // Time cards hold a row per person and day, not per punch: few rows, so their cells are simply decoded.
        var texts = new string[row.FieldCount];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = cells.Text(row.Field(i));
        }

        string Text(int column) => column < texts.Length ? texts[column] : string.Empty;
        var dateText = Text(header.Date);
        RowPunches.AddTimeCard(
            punch,
            header.Slots,
            Text,
            (int column, string label, out ExportTime time, [NotNullWhen(false)] out string? reason) =>
                TabularTime.TryParseSplit(dateText, Text(column), order, out time, out reason, label),
            DateOf(dateText, order),
            more);
        return First(more);
    }

    private static RowPunches.DateParser DateOf(string dateText, DateOrder order) =>
        (out DateOnly date, [NotNullWhen(false)] out string? reason) => TabularTime.TryParseDate(dateText, order, out date, out reason);

    private static RawRecord First(List<RawRecord> more)
    {
        var first = more[0];
        more.RemoveAt(0);
        return first;
    }

    private static bool AllFieldsBlank<T, TCells>(DelimitedScanner<T> row, TCells cells)
        where T : unmanaged, IBinaryInteger<T>
        where TCells : struct, IDelimitedCells<TCells, T>
    {
        for (var i = 0; i < row.FieldCount; i++)
        {
            if (!cells.IsBlank(row.Field(i)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Tries each delimiter; the one that makes a header with the most columns wins.</summary>
    private static bool TryFindHeader(ReadOnlySpan<char> line, ColumnMapping? columns, [NotNullWhen(true)] out HeaderMap? header, out char delimiter)
    {
        header = null;
        delimiter = ',';
        var bestColumns = 0;
        foreach (var candidate in Delimiters)
        {
            if (line.IndexOf(candidate) < 0)
            {
                continue;
            }

            var cells = DelimitedScanner.SplitLine(line, candidate);
            if (cells.Count > bestColumns && HeaderMap.TryCreate(cells, columns, out var map))
            {
                header = map;
                delimiter = candidate;
                bestColumns = cells.Count;
            }
        }

        return header is not null;
    }

    private static string NoHeaderMessage(ColumnMapping? columns, string? likeliest)
    {
        var message = columns is null
            ? $"no header row naming a user key (工号, PIN, Person ID…) and a time (打卡时间, Time, Date + Time…) in the first {HeaderSearchLines} lines"
            : $"no header row with the configured columns and a user key and a time in the first {HeaderSearchLines} lines";
        return likeliest is null ? message : $"{message}; {likeliest}";
    }
}
