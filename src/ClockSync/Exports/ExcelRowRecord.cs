using ExcelDataReader;

namespace ClockSync.Exports;

/// <summary>Turns the current row of a workbook into a record, by the columns of its sheet's header.</summary>
internal static class ExcelRowRecord
{
    public static RawRecord From(IExcelDataReader row, long line, HeaderMap header, DateOrder order, CellTextPool pool)
    {
        var userText = ExcelCells.Text(Cell(row, header.UserKey));
        if (!TabularValues.TryUserKey(userText, pool, out var userKey, out var userProblem))
        {
            return IsBlank(row) ? RawRecord.Skipped(line) : RawRecord.Rejected(line, "user", userProblem);
        }

        var parsed = header.IsSplitDateTime
            ? ExcelCells.TrySplit(Cell(row, header.Date), Cell(row, header.TimeOfDay), order, out var time, out var reason)
            : ExcelCells.TryDateTime(Cell(row, header.DateTime), order, out time, out reason);
        if (!parsed)
        {
            return header.IsRepeatedHeader(userText) ? RawRecord.Skipped(line) : RawRecord.Rejected(line, "time", reason!);
        }

        return new RawRecord
        {
            Line = line,
            Kind = RawRecordKind.Punch,
            UserKey = userKey,
            Time = time,
            Device = Optional(row, header.Device, pool, PooledColumn.Device),
            Direction = Optional(row, header.Direction, pool, PooledColumn.Direction),
            Name = Optional(row, header.Name, pool, PooledColumn.Name),
        };
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
