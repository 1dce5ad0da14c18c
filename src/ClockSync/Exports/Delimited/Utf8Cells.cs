using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Delimited;

/// <summary>
/// Cells of a UTF-8 export, read as bytes: each value is worked out from the decoded text by exactly the rules of
/// <see cref="DecodedCells"/>, and remembered per column by its bytes (<see cref="Utf8ValueCache"/>), so that the user
/// keys, devices and names that repeat on every line are decoded once. Bytes that are not valid UTF-8 decode to U+FFFD,
/// as the decoding reader would give them.
/// </summary>
internal readonly struct Utf8Cells : IDelimitedCells<Utf8Cells, byte>
{
    /// <summary>Cells up to this many bytes are decoded into a reused buffer; longer ones (garbage) into a new one.</summary>
    private const int ScratchLength = 256;

    private readonly DecodedCells _decoded;
    private readonly Utf8ValueCache[] _caches;
    private readonly char[] _scratch;

    public Utf8Cells()
    {
        // The byte caches do a text pool's work; a miss needs no second lookup by text.
        _decoded = new DecodedCells(CellTextPool.Unpooled);
        _caches = [new Utf8ValueCache(), new Utf8ValueCache(), new Utf8ValueCache(), new Utf8ValueCache()];
        _scratch = new char[2 * ScratchLength];
    }

    public static string LengthUnit => "bytes";

    public static Utf8Cells Create() => new();

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    public string Text(ReadOnlySpan<byte> cell) => Encoding.UTF8.GetString(cell);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryUserKey(
        DelimitedScanner<byte> row, int column, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem)
    {
        var block = row.FieldBlock(column, out var length);
        if (_caches[(int)PooledColumn.UserKey].TryGet(block, length, out key) && key is not null)
        {
            problem = null;
            return true;
        }

        return TryUserKeyUncached(block[..length], out key, out problem);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string? Optional(DelimitedScanner<byte> row, int column, PooledColumn pooled)
    {
        var block = row.FieldBlock(column, out var length);
        if (length == 0)
        {
            return null;
        }

        return _caches[(int)pooled].TryGet(block, length, out var value) ? value : OptionalUncached(block[..length], pooled);
    }

    public bool TryParseTime(ReadOnlySpan<byte> cell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason)
    {
        // Nearly every cell is yyyy-MM-dd HH:mm:ss, read from its bytes; anything else is decoded and parsed as text.
        if (ExportTimeParser.TryParseCanonical(cell, out time))
        {
            reason = null;
            return true;
        }

        return _decoded.TryParseTime(Decode(cell, 0), order, out time, out reason);
    }

    public bool TryParseSplit(
        ReadOnlySpan<byte> dateCell, ReadOnlySpan<byte> timeCell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason) =>
        _decoded.TryParseSplit(Decode(dateCell, 0), Decode(timeCell, 1), order, out time, out reason);

    public bool IsBlank(ReadOnlySpan<byte> cell) => _decoded.IsBlank(Decode(cell, 0));

    public bool IsRepeatedHeader(HeaderMap header, ReadOnlySpan<byte> userKeyCell) =>
        _decoded.IsRepeatedHeader(header, Decode(userKeyCell, 0));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryUserKeyUncached(ReadOnlySpan<byte> cell, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem)
    {
        if (!_decoded.TryUserKey(Decode(cell, 0), out key, out problem))
        {
            return false;
        }

        _caches[(int)PooledColumn.UserKey].Add(cell, key);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private string? OptionalUncached(ReadOnlySpan<byte> cell, PooledColumn column)
    {
        var value = _decoded.Optional(Decode(cell, 0), column);
        _caches[(int)column].Add(cell, value);
        return value;
    }

    /// <summary>
    /// The cell's text, in one of two halves of the scratch buffer (so that a date and a time can be held at once);
    /// valid until that half is used again.
    /// </summary>
    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> cell, int half)
    {
        // UTF-8 never gives more UTF-16 characters than it has bytes.
        var into = cell.Length <= ScratchLength ? _scratch.AsSpan(half * ScratchLength, ScratchLength) : new char[cell.Length];
        Utf8.ToUtf16(cell, into, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return into[..written];
    }
}
