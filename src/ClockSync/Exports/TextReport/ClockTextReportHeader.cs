using ClockSync.Exports.Text;

namespace ClockSync.Exports.TextReport;

/// <summary>
/// Column positions from the header of a standalone clock's text report
/// (<c>No→Mchn→EnNo→→Name→→Mode→IOMd→DateTime→</c>). Positions count every tab, so the empty columns that doubled
/// tabs make are kept and data rows line up with the header.
/// </summary>
internal readonly record struct ClockTextReportHeader(int UserKey, int Time, int Device, int Name, int Direction)
{
    /// <summary>Most columns looked at; a real header has about ten.</summary>
    public const int MaxColumns = 32;

    /// <summary>
    /// A header names at least <c>EnNo</c>, <c>DateTime</c> and the machine (<c>Mchn</c> or <c>TMNo</c>), tab-separated,
    /// case-insensitively. <c>IOMd</c> (in/out mode) becomes the direction; <c>Mode</c> is the verify mode and is not used.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> line, out ClockTextReportHeader header)
    {
        header = default;
        if (!line.Contains('\t'))
        {
            return false;
        }

        int userKey = -1, time = -1, device = -1, name = -1, direction = -1;
        var column = 0;
        foreach (var range in line.Split('\t'))
        {
            if (column >= MaxColumns)
            {
                break;
            }

            var title = BlankText.Trim(line[range]);
            if (Is(title, "EnNo"))
            {
                userKey = column;
            }
            else if (Is(title, "DateTime"))
            {
                time = column;
            }
            else if (Is(title, "Mchn") || Is(title, "TMNo"))
            {
                device = column;
            }
            else if (Is(title, "Name"))
            {
                name = column;
            }
            else if (Is(title, "IOMd"))
            {
                direction = column;
            }

            column++;
        }

        if (userKey < 0 || time < 0 || device < 0)
        {
            return false;
        }

        header = new ClockTextReportHeader(userKey, time, device, name, direction);
        return true;
    }

    private static bool Is(ReadOnlySpan<char> title, string expected) => title.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
