using System.Diagnostics.CodeAnalysis;
using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Delimited;

/// <summary>Cells of decoded text: the shared tabular rules, with repeated values pooled.</summary>
internal readonly struct DecodedCells(CellTextPool pool) : IDelimitedCells<DecodedCells, char>
{
    public static DecodedCells Create() => new(new CellTextPool());

    public void Dispose()
    {
    }

    public static string LengthUnit => "characters";

    public string Text(ReadOnlySpan<char> cell) => cell.ToString();

    public bool TryUserKey(
        DelimitedScanner<char> row, int column, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem) =>
        TryUserKey(row.Field(column), out key, out problem);

    public bool TryUserKey(ReadOnlySpan<char> cell, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem) =>
        TabularValues.TryUserKey(cell, pool, out key, out problem);

    public string? Optional(DelimitedScanner<char> row, int column, PooledColumn pooled) => Optional(row.Field(column), pooled);

    public string? Optional(ReadOnlySpan<char> cell, PooledColumn pooled) => TabularValues.Optional(cell, pool, pooled);

    public bool TryParseTime(ReadOnlySpan<char> cell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason)
    {
        if (ExportTimeParser.TryParse(cell, order, out time, out var problem))
        {
            reason = null;
            return true;
        }

        reason = TabularValues.Reason("time", cell, problem);
        return false;
    }

    public bool TryParseSplit(
        ReadOnlySpan<char> dateCell, ReadOnlySpan<char> timeCell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason) =>
        TabularTime.TryParseSplit(dateCell, timeCell, order, out time, out reason);

    public bool IsBlank(ReadOnlySpan<char> cell) => cell.IsWhiteSpace();

    public bool IsRepeatedHeader(HeaderMap header, ReadOnlySpan<char> userKeyCell) => header.IsRepeatedHeader(userKeyCell);
}
