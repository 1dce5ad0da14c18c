using System.Text;

namespace ClockSync.Exports.Text;

/// <summary>Quotes a piece of an export line for a rejection reason: short, single-line, control characters shown as '?'.</summary>
internal static class TextQuote
{
    private const int MaxShown = 40;

    public static string Of(ReadOnlySpan<char> text)
    {
        var shown = text.Length > MaxShown ? text[..MaxShown] : text;
        var builder = new StringBuilder(shown.Length + 5);
        builder.Append('\'');
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (shown.Length < text.Length)
        {
            builder.Append('…');
        }

        return builder.Append('\'').ToString();
    }
}
