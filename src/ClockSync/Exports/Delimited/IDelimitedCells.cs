using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Delimited;

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
