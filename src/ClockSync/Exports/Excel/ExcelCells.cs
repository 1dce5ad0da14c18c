using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ClockSync.Exports.Tabular;

namespace ClockSync.Exports.Excel;

/// <summary>
/// Spreadsheet cell values as ExcelDataReader gives them — <see cref="string"/>, <see cref="double"/> (numbers, and
/// dates in cells without a date format), <see cref="DateTime"/> (date-formatted cells), <see cref="TimeSpan"/>,
/// <see cref="bool"/> or null — read as punch fields.
/// </summary>
internal static class ExcelCells
{
    /// <summary>Excel counts days from 1899-12-30; a time-only cell is a fraction of a day on that date.</summary>
    private static readonly DateTime ExcelEpoch = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);

    // DateTime.FromOADate accepts serials from year 100 to 9999; anything outside is not a date.
    private const double MinSerial = -657_435.0;
    private const double MaxSerial = 2_958_465.99999999;

    /// <summary>
    /// The cell as text: numbers without a trailing <c>.0</c> (a numeric user key 7 is "7"), dates in ISO form.
    /// </summary>
    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        double number => Number(number),
        DateTime dateTime => dateTime.ToString(dateTime.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool flag => flag ? "TRUE" : "FALSE",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A cell that holds a whole date and time: a date cell, an Excel serial number, or text.</summary>
    public static bool TryDateTime(object? value, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason)
    {
        switch (value)
        {
            case DateTime dateTime:
                time = new ExportTime(ToWholeSecond(dateTime), null);
                reason = null;
                return true;
            case double serial when serial is >= MinSerial and <= MaxSerial:
                time = new ExportTime(ToWholeSecond(DateTime.FromOADate(serial)), null);
                reason = null;
                return true;
            default:
                var text = Text(value);
                if (ExportTimeParser.TryParse(text, order, out time, out var problem))
                {
                    reason = null;
                    return true;
                }

                reason = TabularValues.Reason("time", text, problem);
                return false;
        }
    }

    /// <summary>
    /// Split date and time cells. The time cell may be a date-time on 1899-12-30 (a time-formatted cell), a fraction
    /// of a day, a duration, or text; a time cell holding a full date-time (any other date) is taken whole.
    /// </summary>
    /// <param name="what">The time column as a rejection names it: <c>time</c>, or a time card's slot header.</param>
    public static bool TrySplit(
        object? dateValue, object? timeValue, DateOrder order, out ExportTime time, [NotNullWhen(false)] out string? reason, string what = "time")
    {
        TimeOnly timeOfDay;
        var minuteOnly = false;
        switch (timeValue)
        {
            // A time-formatted cell comes back dated 1899-12-30 or 1899-12-31 (ExcelDataReader's take on the 1900
            // date system); any later date means the cell holds a whole date-time.
            case DateTime dateTime when dateTime.Date > ExcelEpoch.AddDays(1):
                time = new ExportTime(ToWholeSecond(dateTime), null);
                reason = null;
                return true;
            case DateTime dateTime:
                timeOfDay = TimeOnly.FromTimeSpan(ToWholeSecond(ExcelEpoch + dateTime.TimeOfDay).TimeOfDay);
                break;
            case double fraction when fraction is >= 0 and < 1:
                timeOfDay = TimeOnly.FromTimeSpan(ToWholeSecond(DateTime.FromOADate(fraction)).TimeOfDay);
                break;
            case double serial when serial is >= 1 and <= MaxSerial:
                time = new ExportTime(ToWholeSecond(DateTime.FromOADate(serial)), null);
                reason = null;
                return true;
            case TimeSpan duration when duration >= TimeSpan.Zero && duration < TimeSpan.FromDays(1):
                timeOfDay = TimeOnly.FromTimeSpan(duration);
                break;
            default:
                var text = Text(timeValue);
                if (!ExportTimeParser.TryParseTimeOfDay(text, out timeOfDay, out minuteOnly, out var problem))
                {
                    if (ExportTimeParser.TryParse(text, order, out time, out _))
                    {
                        reason = null;
                        return true;
                    }

                    time = default;
                    reason = TabularValues.Reason(what, text, problem);
                    return false;
                }

                break;
        }

        if (!TryDate(dateValue, order, out var date, out reason))
        {
            time = default;
            return false;
        }

        time = new ExportTime(date.ToDateTime(timeOfDay, DateTimeKind.Unspecified), null) { MinuteOnly = minuteOnly };
        return true;
    }

    public static bool TryDate(object? value, DateOrder order, out DateOnly date, [NotNullWhen(false)] out string? reason)
    {
        switch (value)
        {
            case DateTime dateTime:
                date = DateOnly.FromDateTime(dateTime);
                reason = null;
                return true;
            case double serial when serial is >= 1 and <= MaxSerial:
                date = DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial)));
                reason = null;
                return true;
            default:
                return TabularTime.TryParseDate(Text(value), order, out date, out reason);
        }
    }

    /// <summary>
    /// Excel keeps times as binary fractions of a day, so 08:57:31 may come back as 08:57:30.9996; clocks record whole
    /// seconds, so the nearest second is the time that was meant.
    /// </summary>
    private static DateTime ToWholeSecond(DateTime value)
    {
        var ticks = (value.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
        return ticks < DateTime.MaxValue.Ticks
            ? new DateTime(ticks, DateTimeKind.Unspecified)
            : DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
    }

    private static string Number(double number)
    {
        // Whole numbers print as integers ("7", not "7.0"); 1e15 keeps every digit of an integer exact.
        if (Math.Abs(number) < 1e15 && number == Math.Floor(number))
        {
            return ((long)number).ToString(CultureInfo.InvariantCulture);
        }

        return number.ToString("R", CultureInfo.InvariantCulture);
    }
}
