using System.Diagnostics.CodeAnalysis;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Tabular;

/// <summary>Cell-level rules shared by the delimited and Excel readers: user keys, optional texts, rejection wording.</summary>
internal static class TabularValues
{
    private const int MaxQuotedValue = 40;

    /// <summary>
    /// The user key of a row. The one place where a cell becomes a user key: the shared <c>UserKeys</c> rule is plugged
    /// in here.
    /// </summary>
    /// <param name="problem">When the key is unusable (empty): the rejection reason for field <c>user</c>.</param>
    public static bool TryUserKey(
        ReadOnlySpan<char> cell, CellTextPool pool, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? problem)
    {
        // One rule for every reader (UserKeys): trimmed, a leading apostrophe dropped (Hikvision and Excel users write
        // '0007 so that Excel keeps the zeros), zero padding of all-digit keys removed, garbage rejected.
        if (!UserKeys.TryNormaliseSlice(cell, out var trimmed, out problem))
        {
            key = null;
            return false;
        }

        key = pool.Get(trimmed, PooledColumn.UserKey);
        problem = null;
        return true;
    }

    /// <summary>A device, status or name cell as written (trimmed), or null when empty or absent.</summary>
    public static string? Optional(ReadOnlySpan<char> cell, CellTextPool pool, PooledColumn column)
    {
        cell = cell.Trim();
        return cell.IsEmpty ? null : pool.Get(cell, column);
    }

    public const string EmptyUserKeyReason = "user key is empty";

    /// <summary>
    /// A rejection reason that names the value: <c>time "2025-13-01 08:00" is not a valid calendar date</c>. Long
    /// values are cut and control characters replaced, so a garbage line cannot flood or garble a report.
    /// </summary>
    public static string Reason(string what, ReadOnlySpan<char> value, string? problem)
    {
        value = value.Trim();
        if (value.IsEmpty)
        {
            return $"{what} is empty";
        }

        return $"{what} {Quote(value)} {problem ?? "is not valid"}";
    }

    public static string Quote(ReadOnlySpan<char> value)
    {
        var cut = value.Length > MaxQuotedValue;
        var shown = cut ? value[..MaxQuotedValue] : value;
        if (cut && char.IsHighSurrogate(shown[^1]))
        {
            shown = shown[..^1];
        }

        Span<char> buffer = stackalloc char[MaxQuotedValue];
        for (var i = 0; i < shown.Length; i++)
        {
            buffer[i] = char.IsControl(shown[i]) ? '?' : shown[i];
        }

        return string.Concat("\"", buffer[..shown.Length], cut ? "…\"" : "\"");
    }
}
