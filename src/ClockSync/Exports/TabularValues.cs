namespace ClockSync.Exports;

/// <summary>Cell-level rules shared by the delimited and Excel readers: user keys, optional texts, rejection wording.</summary>
internal static class TabularValues
{
    private const int MaxQuotedValue = 40;

    /// <summary>
    /// The user key of a row, or null when it is empty. The one place where a cell becomes a user key: the shared
    /// <c>UserKeys.Normalise</c> is plugged in here.
    /// </summary>
    public static string? UserKey(ReadOnlySpan<char> cell, StringPool pool)
    {
        // LEAD: replace the two lines below with UserKeys.Normalise(cell) once src/ClockSync/Exports/UserKeys.cs is
        // merged (keep the empty check: an empty key is rejected as field "user").
        var key = cell.Trim();

        // Hikvision and Excel users write '0007 so that Excel keeps the zeros; the apostrophe is not part of the key.
        key = (key.Length > 0 && key[0] == '\'' ? key[1..] : key).Trim();
        return key.IsEmpty ? null : pool.Get(key);
    }

    /// <summary>A device, status or name cell as written (trimmed), or null when empty or absent.</summary>
    public static string? Optional(ReadOnlySpan<char> cell, StringPool pool)
    {
        cell = cell.Trim();
        return cell.IsEmpty ? null : pool.Get(cell);
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
