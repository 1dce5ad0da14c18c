using System.Diagnostics.CodeAnalysis;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Tabular;

/// <summary>Punch times written as text in split date and time-of-day columns (delimited and Excel exports).</summary>
internal static class TabularTime
{
    /// <summary>
    /// Combines a date cell and a time-of-day cell. Exports are lenient here and so is this: a time column that holds
    /// a full date-time is taken whole, and a date column that holds a date-time gives its date.
    /// </summary>
    /// <param name="reason">On failure: the rejection reason, naming the column and the value.</param>
    /// <param name="what">The time column as a rejection names it: <c>time</c>, or a time card's slot header.</param>
    public static bool TryParseSplit(
        ReadOnlySpan<char> dateCell,
        ReadOnlySpan<char> timeCell,
        DateOrder order,
        out ExportTime time,
        [NotNullWhen(false)] out string? reason,
        string what = "time")
    {
        if (!ExportTimeParser.TryParseTimeOfDay(timeCell, out var timeOfDay, out var minuteOnly, out var timeProblem))
        {
            if (ExportTimeParser.TryParse(timeCell, order, out time, out _))
            {
                reason = null;
                return true;
            }

            reason = TabularValues.Reason(what, timeCell, timeProblem);
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

    /// <summary>
    /// A cell holding several times of one day (<c>08:57 12:01 13:02 18:05</c>, one per line, or comma-separated):
    /// one entry per time, in order, each parsed on its own so that one bad time rejects only itself. False (and
    /// nothing added) when the cell does not hold at least two parts of which one is a time of day, so a cell that is
    /// simply bad keeps its single rejection.
    /// </summary>
    /// <param name="what">The field named in a rejection (<c>time</c>, or a time card's slot header).</param>
    public static bool TrySplitSeveral(ReadOnlySpan<char> cell, string what, List<CellTime> into)
    {
        var parts = SeveralParts(cell);
        if (parts.Count < 2)
        {
            return false;
        }

        var start = into.Count;
        var anyTime = false;
        for (var i = 0; i < parts.Count; i++)
        {
            if (ExportTimeParser.TryParseTimeOfDay(parts[i], out var timeOfDay, out var problem))
            {
                into.Add(new CellTime(timeOfDay, null));
                anyTime = true;
            }
            else
            {
                into.Add(new CellTime(default, $"{TabularValues.Reason(what, parts[i], problem)} (time {i + 1} of {parts.Count} in the cell)"));
            }
        }

        if (!anyTime)
        {
            into.RemoveRange(start, into.Count - start);
        }

        return anyTime;
    }

    /// <summary>
    /// Whether a time card's slot cell says nobody punched: blank, a dash, or the words attendance software writes
    /// for a missed punch (缺卡, 未打卡) or a day off (休息).
    /// </summary>
    public static bool IsNoPunch(ReadOnlySpan<char> cell)
    {
        cell = BlankText.Trim(cell);
        return cell.IsEmpty || cell is "-" or "--" or "—" or "/" or "缺卡" or "未打卡" or "休息" or "无";
    }

    /// <summary>The parts of a several-times cell; a lone 12-hour marker joins the time it belongs to.</summary>
    private static List<string> SeveralParts(ReadOnlySpan<char> cell)
    {
        var words = new List<string>();
        foreach (var range in cell.SplitAny(" \t\r\n\u3000,，;；、|"))
        {
            if (!cell[range].IsEmpty)
            {
                words.Add(cell[range].ToString());
            }
        }

        var parts = new List<string>(words.Count);
        string? pendingMarker = null;
        foreach (var word in words)
        {
            var isMarker = Meridiem.TryRead(word, out _, out var length) && length == word.Length;
            if (isMarker && word[0] is not ('上' or '下') && parts.Count > 0 && pendingMarker is null && !EndsWithMarker(parts[^1]))
            {
                // 8:57 PM: AM/PM follow their time.
                parts[^1] += " " + word;
            }
            else if (isMarker)
            {
                // 上午 8:57: the Chinese markers come first.
                pendingMarker = pendingMarker is null ? word : pendingMarker + " " + word;
            }
            else
            {
                parts.Add(pendingMarker is null ? word : pendingMarker + " " + word);
                pendingMarker = null;
            }
        }

        if (pendingMarker is not null)
        {
            parts.Add(pendingMarker);
        }

        return parts;
    }

    private static bool EndsWithMarker(string part) =>
        part.LastIndexOf(' ') is var space and >= 0 && Meridiem.TryRead(part.AsSpan(space + 1), out _, out _);
}

/// <summary>One time of a cell that holds several: the time of day, or why that part is not one.</summary>
internal readonly record struct CellTime(TimeOnly TimeOfDay, string? Problem);
