using System.Numerics;
using System.Diagnostics.CodeAnalysis;

namespace ClockSync.Exports;

/// <summary>
/// What <see cref="DelimitedTextReader"/> makes of the cells of a record, for one kind of scanned unit: decoded
/// characters (<see cref="DecodedCells"/>) or raw UTF-8 bytes (<see cref="Utf8Cells"/>). Implemented by structs so that
/// the reader's loop is compiled once per kind, with these calls inlined. Disposed when the file has been read.
/// </summary>
internal interface IDelimitedCells<TSelf, T> : IDisposable
    where TSelf : IDelimitedCells<TSelf, T>
    where T : unmanaged, IBinaryInteger<T>
{
    /// <summary>Cells for one file, with their own memory of its repeated values.</summary>
    static abstract TSelf Create();

    /// <summary>What a limit on the record length counts: <c>characters</c> or <c>bytes</c>.</summary>
    static abstract string LengthUnit { get; }

    /// <summary>A line or cell as text, for the header search and rare paths (it allocates).</summary>
    string Text(ReadOnlySpan<T> cell);

    /// <summary>The user key in a column of the row (see <see cref="TabularValues.TryUserKey"/>).</summary>
    bool TryUserKey(
        DelimitedScanner<T> row, int column, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem);

    /// <summary>A device, status or name in a column of the row (see <see cref="TabularValues.Optional"/>).</summary>
    string? Optional(DelimitedScanner<T> row, int column, PooledColumn pooled);

    /// <summary>A date-time cell; on failure the rejection reason names the value.</summary>
    bool TryParseTime(ReadOnlySpan<T> cell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason);

    /// <inheritdoc cref="TabularTime.TryParseSplit"/>
    bool TryParseSplit(ReadOnlySpan<T> dateCell, ReadOnlySpan<T> timeCell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason);

    /// <summary>Whether the cell holds only white space (a blank row is skipped, not rejected).</summary>
    bool IsBlank(ReadOnlySpan<T> cell);

    /// <inheritdoc cref="HeaderMap.IsRepeatedHeader"/>
    bool IsRepeatedHeader(HeaderMap header, ReadOnlySpan<T> userKeyCell);
}

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
