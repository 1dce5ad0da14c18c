using System.Diagnostics.CodeAnalysis;
using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;
using ExcelDataReader;

namespace ClockSync.Exports.Excel;

/// <summary>Turns the current row of a workbook into a record, by the columns of its sheet's header.</summary>
internal static class ExcelRowRecord
{
    /// <summary>The row's record; when it holds several punches, the first, and the others in <paramref name="more"/>.</summary>
    public static RawRecord From(IExcelDataReader row, long line, HeaderMap header, DateOrder order, CellTextPool pool, List<RawRecord> more)
    {
        var userText = ExcelCells.Text(Cell(row, header.UserKey));
        if (!TabularValues.TryUserKey(userText, pool, out var userKey, out var userProblem))
        {
            return IsBlank(row) ? RawRecord.Skipped(line) : RawRecord.Rejected(line, "user", userProblem);
        }

        var punch = new RawRecord
        {
            Line = line,
            Kind = RawRecordKind.Punch,
            UserKey = userKey,
            Device = Optional(row, header.Device, pool, PooledColumn.Device),
            Direction = Optional(row, header.Direction, pool, PooledColumn.Direction),
            Name = Optional(row, header.Name, pool, PooledColumn.Name),
        };
        if (header.IsTimeCard)
        {
            return header.IsRepeatedHeader(userText) ? RawRecord.Skipped(line) : TimeCardRecords(row, header, order, punch, more);
        }

        var parsed = header.IsSplitDateTime
            ? ExcelCells.TrySplit(Cell(row, header.Date), Cell(row, header.TimeOfDay), order, out var time, out var reason)
            : ExcelCells.TryDateTime(Cell(row, header.DateTime), order, out time, out reason);
        if (parsed)
        {
            return punch with { Time = time };
        }

        if (header.IsRepeatedHeader(userText))
        {
            return RawRecord.Skipped(line);
        }

        if (header.IsSplitDateTime && Cell(row, header.TimeOfDay) is string timeText
            && RowPunches.TryAddSeveral(punch, timeText, "time", DateOf(Cell(row, header.Date), order), more))
        {
            return First(more);
        }

        return RawRecord.Rejected(line, "time", reason!);
    }

    private static RawRecord TimeCardRecords(IExcelDataReader row, HeaderMap header, DateOrder order, RawRecord punch, List<RawRecord> more)
    {
        var dateValue = Cell(row, header.Date);
        RowPunches.AddTimeCard(
            punch,
            header.Slots,
            column => ExcelCells.Text(Cell(row, column)),
            (int column, string label, out ExportTime time, [NotNullWhen(false)] out string? reason) =>
                ExcelCells.TrySplit(dateValue, Cell(row, column), order, out time, out reason, label),
            DateOf(dateValue, order),
            more);
        return First(more);
    }

    private static RowPunches.DateParser DateOf(object? dateValue, DateOrder order) =>
        (out DateOnly date, [NotNullWhen(false)] out string? reason) => ExcelCells.TryDate(dateValue, order, out date, out reason);

    private static RawRecord First(List<RawRecord> more)
    {
        var first = more[0];
        more.RemoveAt(0);
        return first;
    }

    private static object? Cell(IExcelDataReader row, int column) =>
        column >= 0 && column < row.FieldCount ? row.GetValue(column) : null;

    private static string? Optional(IExcelDataReader row, int column, CellTextPool pool, PooledColumn pooled) =>
        column < 0 ? null : TabularValues.Optional(ExcelCells.Text(Cell(row, column)), pool, pooled);

    private static bool IsBlank(IExcelDataReader row)
    {
        for (var column = 0; column < row.FieldCount; column++)
        {
            if (!string.IsNullOrWhiteSpace(ExcelCells.Text(row.GetValue(column))))
            {
                return false;
            }
        }

        return true;
    }
}
