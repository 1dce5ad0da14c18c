using System.Numerics;
using System.Runtime.CompilerServices;

namespace ClockSync.Exports;

/// <summary>
/// Parses the date-time texts that clock exports write, without allocating:
/// <c>2025-06-02 08:57:31</c>, <c>2025-06-02 08:57</c>, <c>2025/6/2 8:57</c>, <c>2025/06/02  08:57:31</c> (two spaces),
/// <c>2025-06-02T08:57:31+08:00</c> (the offset is kept), fractional seconds, 12-hour times marked <c>上午</c>/<c>下午</c>
/// or <c>AM</c>/<c>PM</c> (<c>2026/11/2 上午 8:57:31</c>, as Excel writes under a Chinese locale), dotted dates
/// (<c>02.11.2026</c>) day-first, and slashed or dashed day- or month-first dates only when <see cref="DateOrder"/> says so.
/// </summary>
public static partial class ExportTimeParser
{
    /// <summary>Parses a date and a time of day written together.</summary>
    /// <param name="problem">When parsing fails: why, for the rejection reason.</param>
    public static bool TryParse(ReadOnlySpan<char> text, DateOrder order, out ExportTime time, out string? problem)
    {
        time = default;
        text = text.Trim();
        if (TryParseCanonical(text, out time))
        {
            problem = null;
            return true;
        }

        if (text.IsEmpty)
        {
            problem = "empty";
            return false;
        }

        if (!TryParseDatePart(text, order, out var date, out var consumed, out problem))
        {
            return false;
        }

        var rest = text[consumed..];
        var separators = 0;
        while (separators < rest.Length && (rest[separators] == ' ' || rest[separators] == '\t'))
        {
            separators++;
        }

        if (separators == 0 && !rest.IsEmpty && rest[0] == 'T')
        {
            separators = 1;
        }

        // 2026/11/2上午8:57: Excel under a Chinese locale may write the marker straight after the date.
        var markerFollows = separators == 0 && Meridiem.TryRead(rest, out _, out _);
        if ((separators == 0 && !markerFollows) || separators == rest.Length)
        {
            problem = rest.IsEmpty || separators == rest.Length ? "has a date but no time of day" : "is not a date-time";
            return false;
        }

        if (!TryParseTimePart(rest[separators..], out var timeOfDay, out var offset, out var minuteOnly, out problem))
        {
            return false;
        }

        time = new ExportTime(date.ToDateTime(timeOfDay, DateTimeKind.Unspecified), offset) { MinuteOnly = minuteOnly };
        return true;
    }

    /// <summary>
    /// The shape nearly every attlog line has, <c>yyyy-MM-dd HH:mm:ss</c>, in one pass with no branching on shape.
    /// Anything else (or an invalid value in this shape) falls through to the general parser, which says what is wrong.
    /// </summary>
    /// <remarks>
    /// Generic so that a UTF-8 reader can parse the cell's bytes as they are: the shape is ASCII, and a text in it has
    /// nothing for <see cref="TryParse"/> to trim, so both give the same time.
    /// </remarks>
    internal static bool TryParseCanonical<T>(ReadOnlySpan<T> text, out ExportTime time)
        where T : unmanaged, IBinaryInteger<T>
    {
        time = default;
        if (text.Length != 19 || !Is(text[4], '-') || !Is(text[7], '-') || !Is(text[10], ' ') || !Is(text[13], ':') || !Is(text[16], ':'))
        {
            return false;
        }

        if (!TryTwoDigits(text, out var century) || !TryTwoDigits(text[2..], out var yearInCentury)
            || !TryTwoDigits(text[5..], out var month) || !TryTwoDigits(text[8..], out var day)
            || !TryTwoDigits(text[11..], out var hour) || !TryTwoDigits(text[14..], out var minute)
            || !TryTwoDigits(text[17..], out var second))
        {
            return false;
        }

        var year = (century * 100) + yearInCentury;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new ExportTime(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified), null);
        return true;
    }

    /// <summary>Parses a date written alone (split date and time columns).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, DateOrder order, out DateOnly date, out string? problem)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            date = default;
            problem = "empty";
            return false;
        }

        if (!TryParseDatePart(text, order, out date, out var consumed, out problem))
        {
            return false;
        }

        if (consumed != text.Length)
        {
            problem = "is not a date";
            return false;
        }

        return true;
    }

    private static bool TryParseDatePart(ReadOnlySpan<char> text, DateOrder order, out DateOnly date, out int consumed, out string? problem)
    {
        date = default;
        consumed = 0;
        var pos = 0;
        if (!TryReadNumber(text, ref pos, 4, out var first, out var firstDigits))
        {
            problem = "is not a date-time";
            return false;
        }

        if (pos >= text.Length || !IsDateSeparator(text[pos]))
        {
            problem = "is not a date-time";
            return false;
        }

        var separator = text[pos++];
        if (!TryReadNumber(text, ref pos, 2, out var second, out _)
            || pos >= text.Length || text[pos] != separator)
        {
            problem = "is not a date-time";
            return false;
        }

        pos++;
        if (!TryReadNumber(text, ref pos, 4, out var third, out var thirdDigits))
        {
            problem = "is not a date-time";
            return false;
        }

        int year, month, day;
        if (firstDigits == 4)
        {
            (year, month, day) = (first, second, third);
            if (thirdDigits > 2)
            {
                problem = "is not a date-time";
                return false;
            }
        }
        else if (thirdDigits == 4 && separator == '.')
        {
            // Dotted dates are day-first wherever they are written (02.11.2026 is 2 November); no clock software
            // writes a month-first dotted date, so the configured order only decides slashed and dashed ones.
            (year, month, day) = (third, second, first);
        }
        else if (thirdDigits == 4 && order != DateOrder.YearMonthDay)
        {
            (year, month, day) = order == DateOrder.DayMonthYear ? (third, second, first) : (third, first, second);
        }
        else if (thirdDigits == 4)
        {
            problem = "has an ambiguous day/month order (set the date order in configuration)";
            return false;
        }
        else
        {
            problem = "is not a date-time";
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month))
        {
            problem = "is not a valid calendar date";
            return false;
        }

        date = new DateOnly(year, month, day);
        consumed = pos;
        problem = null;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTwoDigits<T>(ReadOnlySpan<T> text, out int value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (text.Length < 2)
        {
            return false;
        }

        var tens = uint.CreateTruncating(text[0]) - '0';
        var ones = uint.CreateTruncating(text[1]) - '0';
        if (tens > 9 || ones > 9)
        {
            return false;
        }

        value = (int)((tens * 10) + ones);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Is<T>(T unit, char ascii)
        where T : unmanaged, IBinaryInteger<T> =>
        unit == T.CreateTruncating(ascii);

    private static bool TryReadNumber(ReadOnlySpan<char> text, ref int pos, int maxDigits, out int value, out int digits)
    {
        value = 0;
        digits = 0;
        while (pos < text.Length && digits < maxDigits && char.IsAsciiDigit(text[pos]))
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
            digits++;
        }

        // A number longer than allowed is not a date field.
        return digits > 0 && (pos >= text.Length || !char.IsAsciiDigit(text[pos]));
    }

    private static bool IsDateSeparator(char c) => c is '-' or '/' or '.';
}
