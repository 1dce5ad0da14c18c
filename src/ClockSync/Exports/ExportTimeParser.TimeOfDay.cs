namespace ClockSync.Exports;

// The time of day, written alone or after a date: 24- or 12-hour, with seconds or not, and an offset after a date
// (the dates and the whole date-time are in ExportTimeParser.cs).
public static partial class ExportTimeParser
{
    /// <summary>Parses a time of day written alone (split date and time columns); an offset is not allowed here.</summary>
    public static bool TryParseTimeOfDay(ReadOnlySpan<char> text, out TimeOnly timeOfDay, out string? problem) =>
        TryParseTimeOfDay(text, out timeOfDay, out _, out problem);

    /// <inheritdoc cref="TryParseTimeOfDay(ReadOnlySpan{char}, out TimeOnly, out string?)"/>
    /// <param name="minuteOnly">True when the text has no seconds (<c>08:57</c>).</param>
    public static bool TryParseTimeOfDay(ReadOnlySpan<char> text, out TimeOnly timeOfDay, out bool minuteOnly, out string? problem)
    {
        minuteOnly = false;
        text = text.Trim();
        if (text.IsEmpty)
        {
            timeOfDay = default;
            problem = "empty";
            return false;
        }

        if (!TryParseTimePart(text, out timeOfDay, out var offset, out minuteOnly, out problem))
        {
            return false;
        }

        if (offset is not null)
        {
            problem = "has an offset in a time-of-day column";
            return false;
        }

        return true;
    }

    private static bool TryParseTimePart(ReadOnlySpan<char> text, out TimeOnly timeOfDay, out TimeSpan? offset, out bool minuteOnly, out string? problem)
    {
        timeOfDay = default;
        offset = null;
        minuteOnly = true;
        var pos = 0;

        // A 12-hour marker before the time (上午 8:57:31, the Chinese order) or after it (8:57:31 PM).
        var hasMarker = Meridiem.TryRead(text, out var afternoon, out var markerLength);
        if (hasMarker)
        {
            pos = SkipSpaces(text, markerLength);
        }

        if (!TryReadNumber(text, ref pos, 2, out var hour, out _) || pos >= text.Length || text[pos] != ':')
        {
            problem = "is not a time of day";
            return false;
        }

        pos++;
        if (!TryReadNumber(text, ref pos, 2, out var minute, out var minuteDigits) || minuteDigits != 2)
        {
            problem = "is not a time of day";
            return false;
        }

        var second = 0;
        var ticks = 0L;
        if (pos < text.Length && text[pos] == ':')
        {
            pos++;
            minuteOnly = false;
            if (!TryReadNumber(text, ref pos, 2, out second, out var secondDigits) || secondDigits != 2)
            {
                problem = "is not a time of day";
                return false;
            }

            if (pos < text.Length && (text[pos] == '.' || text[pos] == ','))
            {
                pos++;
                var scale = TimeSpan.TicksPerSecond;
                var digits = 0;
                while (pos < text.Length && char.IsAsciiDigit(text[pos]))
                {
                    scale /= 10;
                    ticks += (text[pos] - '0') * scale;
                    pos++;
                    digits++;
                }

                if (digits == 0)
                {
                    problem = "is not a time of day";
                    return false;
                }
            }
        }

        if (!hasMarker && pos < text.Length)
        {
            var markerAt = SkipSpaces(text, pos);
            if (Meridiem.TryRead(text[markerAt..], out afternoon, out markerLength))
            {
                hasMarker = true;
                pos = markerAt + markerLength;
            }
        }

        if (hasMarker && !Meridiem.TryTo24Hour(hour, afternoon, out hour))
        {
            problem = afternoon
                ? "is not a 12-hour time (下午/PM takes hours 1 to 12, or 13 to 23 written in full)"
                : "is not a 12-hour time (上午/AM takes hours 0 to 12)";
            return false;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            problem = "is not a valid time of day";
            return false;
        }

        if (pos < text.Length && (hasMarker || !TryParseOffset(text[pos..], out offset)))
        {
            problem = "has unexpected text after the time";
            return false;
        }

        timeOfDay = new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(ticks));
        problem = null;
        return true;
    }

    private static int SkipSpaces(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t'))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Parses <c>Z</c>, <c>±hh</c>, <c>±hh:mm</c> or <c>±hhmm</c> (ISO 8601 extended and basic forms).</summary>
    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan? offset)
    {
        offset = null;
        if (text is "Z" or "z")
        {
            offset = TimeSpan.Zero;
            return true;
        }

        if (text.Length < 3 || (text[0] != '+' && text[0] != '-') || !TryTwoDigits(text[1..], out var hours))
        {
            return false;
        }

        var minutes = 0;
        var rest = text[3..];
        if (!rest.IsEmpty)
        {
            if (rest[0] == ':')
            {
                rest = rest[1..];
            }

            if (rest.Length != 2 || !TryTwoDigits(rest, out minutes))
            {
                return false;
            }
        }

        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        var sign = text[0] == '-' ? -1 : 1;
        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }
}
