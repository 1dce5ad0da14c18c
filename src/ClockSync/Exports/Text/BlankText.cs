using System.Buffers;

namespace ClockSync.Exports.Text;

/// <summary>
/// What counts as blank in an export line: whitespace and NUL. Clocks pad files and fields with NULs, so a line of
/// NULs is blank, not a record.
/// </summary>
internal static class BlankText
{
    private static readonly SearchValues<char> Blanks =
        SearchValues.Create("\0\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF");

    public static bool IsBlank(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Blanks);

    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text)
    {
        // Hot path: export fields are ASCII, padded (if at all) with spaces.
        text = text.Trim(' ');
        if (text.IsEmpty || (IsPrintableAscii(text[0]) && IsPrintableAscii(text[^1])))
        {
            return text;
        }

        var start = text.IndexOfAnyExcept(Blanks);
        if (start < 0)
        {
            return [];
        }

        var end = text.LastIndexOfAnyExcept(Blanks);
        return text[start..(end + 1)];
    }

    /// <summary>Whether the text holds no blank character at all (one word).</summary>
    public static bool IsWord(ReadOnlySpan<char> text) =>
        !text.IsEmpty && !text.Contains('\t') && !text.Contains(' ') && !text.ContainsAny(Blanks);

    private static bool IsPrintableAscii(char c) => c is > ' ' and < '\u007F';
}
