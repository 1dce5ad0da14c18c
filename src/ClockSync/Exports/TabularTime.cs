using System.Diagnostics.CodeAnalysis;

namespace ClockSync.Exports;

/// <summary>Punch times written as text in split date and time-of-day columns (delimited and Excel exports).</summary>
internal static class TabularTime
{
    /// <summary>
    /// Combines a date cell and a time-of-day cell. Exports are lenient here and so is this: a time column that holds
    /// a full date-time is taken whole, and a date column that holds a date-time gives its date.
    /// </summary>
    /// <param name="reason">On failure: the rejection reason, naming the column and the value.</param>
    public static bool TryParseSplit(
        ReadOnlySpan<char> dateCell, ReadOnlySpan<char> timeCell, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason)
    {
        if (!ExportTimeParser.TryParseTimeOfDay(timeCell, out var timeOfDay, out var minuteOnly, out var timeProblem))
        {
            if (ExportTimeParser.TryParse(timeCell, order, out time, out _))
            {
                reason = null;
                return true;
            }

            reason = TabularValues.Reason("time", timeCell, timeProblem);
            return false;
        }

        if (!TryParseDate(dateCell, order, out var date, out reason))
        {
            time = default;
            return false;
        }

        time = new ExportTime(date.ToDateTime(timeOfDay, DateTimeKind.Unspecified), null) { MinuteOnly = minuteOnly };
        return true;
    }

    public static bool TryParseDate(ReadOnlySpan<char> dateCell, DateOrder order, out DateOnly date, [NotNullWhen(false)] out string? reason)
    {
        if (ExportTimeParser.TryParseDate(dateCell, order, out date, out var problem))
        {
            reason = null;
            return true;
        }

        if (ExportTimeParser.TryParse(dateCell, order, out var full, out _))
        {
            date = DateOnly.FromDateTime(full.Local);
            reason = null;
            return true;
        }

        reason = TabularValues.Reason("date", dateCell, problem);
        return false;
    }
}
