using System.Text;
using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;
using ExcelDataReader;

namespace ClockSync.Exports.Excel;

/// <summary>
/// Excel workbooks (<c>.xlsx</c> and legacy <c>.xls</c>) with the same header logic as delimited text, read row by row
/// through ExcelDataReader (never the whole workbook as a data set).
/// </summary>
/// <remarks>
/// The records come from the first sheet, in workbook order, that has a recognisable header within its first
/// <see cref="HeaderSearchRows"/> rows: exports often open with a summary or instructions sheet. Rows of that sheet are
/// numbered from 1 as <see cref="RawRecord.Line"/>; rows above the header and the header itself are skipped records,
/// and every later row (blank ones included) is one record, or one per punch when it holds several
/// (<see cref="RowPunches"/>). Other sheets are not read.
/// </remarks>
public sealed class ExcelExportReader
{
    /// <summary>How many rows of a sheet may precede its header.</summary>
    internal const int HeaderSearchRows = 64;

    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] CompoundFileSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    static ExcelExportReader()
    {
        // Legacy .xls stores text in Windows code pages, which .NET only knows once this provider is registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Whether the first bytes are an OOXML (zip) or BIFF (OLE2 compound file) signature.</summary>
    public static bool LooksLikeWorkbook(ReadOnlySpan<byte> firstBytes) =>
        firstBytes.StartsWith(ZipSignature) || firstBytes.StartsWith(CompoundFileSignature);

    /// <summary>Reads the records of a workbook. The stream may be non-seekable (it is then copied to a temporary file).</summary>
    /// <exception cref="NotAClockExportException">
    /// While enumerating: the workbook cannot be opened or read, or no sheet has a header naming a user key and a time.
    /// </exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance", "CA1822:Mark members as static", Justification = "Instance API, like the text readers, so it can be substituted.")]
    public IEnumerable<RawRecord> Read(Stream content, ExportReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        return ReadRecords(content, options, cancellationToken);
    }

    private static IEnumerable<RawRecord> ReadRecords(Stream content, ExportReadOptions options, CancellationToken cancellationToken)
    {
        using var seekable = SeekableWorkbookStream.Open(content, cancellationToken);
        // Before the library sees it: a small file can unpack into more than the reader can hold (WorkbookLimits).
        WorkbookInspector.Inspect(seekable.Stream, WorkbookLimits.Default, cancellationToken);
        using var workbook = OpenWorkbook(seekable.Stream);
        var sheet = new WorkbookRows(workbook);
        var header = FindHeaderSheet(sheet, options.Columns, out var headerRow, cancellationToken);
        for (var row = 1L; row <= headerRow; row++)
        {
            yield return RawRecord.Skipped(row);
        }

        var pool = new CellTextPool();
        var rowNumber = headerRow;

        // The further records of a row that holds several punches (RowPunches).
        var more = new List<RawRecord>();
        while (sheet.NextRow())
        {
            cancellationToken.ThrowIfCancellationRequested();
            rowNumber++;
            yield return ExcelRowRecord.From(workbook, rowNumber, header, options.DateOrder, pool, more);
            foreach (var record in more)
            {
                yield return record;
            }

            more.Clear();
        }
    }

    private static IExcelDataReader OpenWorkbook(Stream stream)
    {
        try
        {
            return ExcelReaderFactory.CreateReader(stream, new ExcelReaderConfiguration { LeaveOpen = true });
        }
        catch (Exception exception) when (WorkbookRows.IsReadFailure(exception))
        {
            throw new NotAClockExportException($"the workbook cannot be opened as .xlsx or .xls: {exception.Message}", exception);
        }
    }

    /// <summary>Reads sheet after sheet until one has a header row; leaves the reader just after that row.</summary>
    private static HeaderMap FindHeaderSheet(WorkbookRows sheet, ColumnMapping? columns, out long headerRow, CancellationToken cancellationToken)
    {
        // The rows searched, to say which looked most like a header if none is one.
        var searched = new List<(long, IReadOnlyList<string>)>();
        do
        {
            for (var row = 1L; row <= HeaderSearchRows && sheet.NextRow(); row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cells = new List<string>(sheet.Reader.FieldCount);
                for (var column = 0; column < sheet.Reader.FieldCount; column++)
                {
                    cells.Add(ExcelCells.Text(sheet.Reader.GetValue(column)));
                }

                if (HeaderMap.TryCreate(cells, columns, out var header))
                {
                    headerRow = row;
                    return header!;
                }

                searched.Add((row, HeaderDiagnosis.Candidate(cells)));
            }
        }
        while (sheet.NextSheet());

        var likeliest = HeaderDiagnosis.Describe(searched, "row");
        throw new NotAClockExportException(
            $"no sheet of the workbook has a header row naming a user key (工号, PIN, Person ID…) and a time (打卡时间, Time, Date + Time…) in its first {HeaderSearchRows} rows"
            + (likeliest is null ? string.Empty : $"; {likeliest}"));
    }
}
