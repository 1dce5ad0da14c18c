using System.Xml;
using ExcelDataReader;
using ExcelDataReader.Exceptions;

namespace ClockSync.Exports.Excel;

/// <summary>
/// Moves through a workbook's rows and sheets, turning the library's failures on damaged files into
/// <see cref="NotAClockExportException"/> (iterators cannot catch around <c>yield</c>, so it is done here).
/// </summary>
internal sealed class WorkbookRows(IExcelDataReader reader)
{
    private int _sheet = 1;
    private long _row;

    public IExcelDataReader Reader { get; } = reader;

    public bool NextRow()
    {
        try
        {
            var read = Reader.Read();
            _row += read ? 1 : 0;
            return read;
        }
        catch (Exception exception) when (IsReadFailure(exception))
        {
            throw new NotAClockExportException(
                $"the workbook is damaged: sheet {_sheet} could not be read after row {_row}: {exception.Message}", exception);
        }
    }

    public bool NextSheet()
    {
        try
        {
            _sheet++;
            _row = 0;
            return Reader.NextResult();
        }
        catch (Exception exception) when (IsReadFailure(exception))
        {
            throw new NotAClockExportException($"the workbook is damaged: sheet {_sheet} could not be opened: {exception.Message}", exception);
        }
    }

    /// <summary>What ExcelDataReader (and the zip, XML and compound-file layers under it) throw on a bad file.</summary>
    public static bool IsReadFailure(Exception exception) =>
        exception is ExcelReaderException or InvalidDataException or XmlException or NotSupportedException
            or FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException
            or EndOfStreamException or OverflowException or InvalidCastException or NullReferenceException;
}
