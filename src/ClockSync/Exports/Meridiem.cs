namespace ClockSync.Exports;

/// <summary>
/// The 12-hour clock markers exports write: <c>上午</c>/<c>下午</c> (Excel and Windows under a Chinese locale write
/// <c>2026/11/2 上午 8:57:31</c>, the marker before the time) and <c>AM</c>/<c>PM</c> or <c>a.m.</c>/<c>p.m.</c> (after it).
/// </summary>
internal static class Meridiem
{
    /// <summary>Whether the text starts with a marker; <paramref name="length"/> is how many characters it takes.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, out bool afternoon, out int length)
    {
        afternoon = false;
        length = 0;
        if (text.Length < 2)
        {
            return false;
        }

        if ((text[0] == '上' || text[0] == '下') && text[1] == '午')
        {
            afternoon = text[0] == '下';
            length = 2;
            return true;
        }

        var first = (char)(text[0] | 0x20);
        if (first is not ('a' or 'p'))
        {
            return false;
        }

        // AM, PM, or the dotted a.m., p.m.
        if ((text[1] | 0x20) == 'm')
        {
            length = 2;
        }
        else if (text.Length >= 4 && text[1] == '.' && (text[2] | 0x20) == 'm' && text[3] == '.')
        {
            length = 4;
        }
        else
        {
            return false;
        }

        // "AMx" or "PM2" is some other word, not a marker.
        if (length < text.Length && char.IsAsciiLetterOrDigit(text[length]))
        {
            length = 0;
            return false;
        }

        afternoon = first == 'p';
        return true;
    }

    /// <summary>
    /// The 24-hour hour of a marked time. <c>上午 12:05</c> is just after midnight and <c>下午 12:05</c> just after noon;
    /// a morning hour of 0 and an afternoon hour already past noon (<c>下午 13:05</c>) mean what they say; anything
    /// else contradicts its marker.
    /// </summary>
    public static bool TryTo24Hour(int hour, bool afternoon, out int hour24)
    {
        hour24 = (afternoon, hour) switch
        {
            (false, 12) => 0,
            (false, >= 0 and < 12) => hour,
            (true, 12) => 12,
            (true, >= 1 and < 12) => hour + 12,
            (true, >= 13 and <= 23) => hour,
            _ => -1,
        };
        return hour24 >= 0;
    }
}
