namespace ClockSync.Exports.Tabular;

/// <summary>
/// Which column of a delimited or Excel export holds which field, found from a header row. Either
/// <see cref="DateTime"/> is set, or <see cref="Date"/> and <see cref="TimeOfDay"/> are, or (a time card)
/// <see cref="Date"/> and two or more <see cref="Slots"/>. Absent columns are -1.
/// </summary>
internal sealed record HeaderMap
{
    private HeaderMap(string[] normalisedHeader)
    {
        NormalisedHeader = normalisedHeader;
    }

    public int UserKey { get; private init; } = -1;

    public int DateTime { get; private init; } = -1;

    public int Date { get; private init; } = -1;

    public int TimeOfDay { get; private init; } = -1;

    public int Device { get; private init; } = -1;

    public int Direction { get; private init; } = -1;

    public int Name { get; private init; } = -1;

    /// <summary>The punch columns of a time card, in header order; empty for a log with one punch per row.</summary>
    public IReadOnlyList<TimeCardSlot> Slots { get; private init; } = [];

    /// <summary>Whether <see cref="Slots"/> has any: kept as a field, as it is asked on every line.</summary>
    public bool IsTimeCard { get; private init; }

    public bool IsSplitDateTime => DateTime < 0;

    /// <summary>The header cells as compared (see <see cref="ColumnAliases.NormaliseHeader"/>).</summary>
    private string[] NormalisedHeader { get; }

    /// <summary>
    /// Reads a row as a header. It is one when it names a user key and a time (or a date and a time of day), and every
    /// column named in <paramref name="explicitColumns"/>. Explicitly named columns override the aliases of their role.
    /// </summary>
    public static bool TryCreate(IReadOnlyList<string> cells, ColumnMapping? explicitColumns, out HeaderMap? map)
    {
        ArgumentNullException.ThrowIfNull(cells);
        map = null;
        var normalised = new string[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            normalised[i] = ColumnAliases.NormaliseHeader(cells[i]);
        }

        var best = new int[Enum.GetValues<ColumnRole>().Length];
        var bestRank = new int[best.Length];
        Array.Fill(best, -1);
        for (var i = 0; i < normalised.Length; i++)
        {
            if (ColumnAliases.TryMatch(normalised[i], out var role, out var rank)
                && (best[(int)role] < 0 || rank < bestRank[(int)role]))
            {
                best[(int)role] = i;
                bestRank[(int)role] = rank;
            }
        }

        int Alias(ColumnRole role) => best[(int)role];

        var columns = explicitColumns ?? new ColumnMapping();
        if (!TryFindExplicit(normalised, columns.UserKey, Alias(ColumnRole.UserKey), out var userKey)
            || !TryFindExplicit(normalised, columns.Device, Alias(ColumnRole.Device), out var device)
            || !TryFindExplicit(normalised, columns.Direction, Alias(ColumnRole.Direction), out var direction)
            || !TryFindExplicit(normalised, columns.Name, Alias(ColumnRole.Name), out var name)
            || userKey < 0)
        {
            return false;
        }

        // A time card: one row per person and day, a column per punch. Its slot headers may also be time aliases
        // (ZKTime's 签到时间/签退时间), so the card is recognised before the single time column.
        var slots = TimeCardSlots(cells, normalised, columns);
        int dateTime = -1, date = -1, timeOfDay = -1;
        var isTimeCard = slots.Length >= 2
            && TryFindExplicit(normalised, columns.Date, Alias(ColumnRole.Date), out date) && date >= 0;
        if (!isTimeCard)
        {
            slots = [];
            if (!TryFindTimeColumns(normalised, columns, Alias, out dateTime, out date, out timeOfDay))
            {
                return false;
            }
        }

        map = new HeaderMap(normalised)
        {
            UserKey = userKey,
            DateTime = dateTime,
            Date = date,
            TimeOfDay = timeOfDay,
            Device = device,
            Direction = direction,
            Name = name,
            Slots = slots,
            IsTimeCard = slots.Length > 0,
        };
        return true;
    }

    /// <summary>The slot columns of a time card, unless a single time column was configured explicitly.</summary>
    private static TimeCardSlot[] TimeCardSlots(IReadOnlyList<string> cells, string[] normalised, ColumnMapping columns)
    {
        if (columns.Time is not null || columns.TimeOfDay is not null)
        {
            return [];
        }

        // Created at the first slot: a log's header has none, and is read without allocating here.
        List<TimeCardSlot>? slots = null;
        Span<char> scratch = stackalloc char[128];
        for (var i = 0; i < normalised.Length; i++)
        {
            var header = normalised[i];
            var buffer = header.Length <= scratch.Length ? scratch : new char[header.Length];
            if (TimeCardSlot.IsSlotHeader(ColumnAliases.Compact(header, buffer)))
            {
                (slots ??= []).Add(new TimeCardSlot(i, cells[i].Trim()));
            }
        }

        return slots is null ? [] : [.. slots];
    }

    /// <summary>
    /// Whether a data row repeats the header (exports paged per department do that): its user-key cell is the
    /// header's user-key name.
    /// </summary>
    public bool IsRepeatedHeader(ReadOnlySpan<char> userKeyCell) =>
        ColumnAliases.NormaliseHeader(userKeyCell) == NormalisedHeader[UserKey];

    private static bool TryFindTimeColumns(
        string[] normalised, ColumnMapping columns, Func<ColumnRole, int> alias, out int dateTime, out int date, out int timeOfDay)
    {
        dateTime = date = timeOfDay = -1;
        if (columns.Time is not null)
        {
            dateTime = IndexOf(normalised, columns.Time);
            return dateTime >= 0;
        }

        if (columns.Date is not null || columns.TimeOfDay is not null)
        {
            date = columns.Date is null ? alias(ColumnRole.Date) : IndexOf(normalised, columns.Date);
            timeOfDay = columns.TimeOfDay is null ? alias(ColumnRole.TimeOrDateTime) : IndexOf(normalised, columns.TimeOfDay);
            return date >= 0 && timeOfDay >= 0;
        }

        // A full date-time alias (打卡时间) is preferred to a bare "Time" column. With a date column beside it, the
        // time column is read as a time of day whatever it is called (日期 + 打卡时间 holding 08:57:31): the split
        // reading still takes a full date-time in the time column whole, so nothing is lost when it holds one.
        var time = alias(ColumnRole.DateTime) >= 0 ? alias(ColumnRole.DateTime) : alias(ColumnRole.TimeOrDateTime);
        if (alias(ColumnRole.Date) >= 0 && time >= 0)
        {
            date = alias(ColumnRole.Date);
            timeOfDay = time;
        }
        else
        {
            dateTime = time;
        }

        return dateTime >= 0 || (date >= 0 && timeOfDay >= 0);
    }

    /// <summary>An explicitly named column must be present; without a name the alias (if any) is used.</summary>
    private static bool TryFindExplicit(string[] normalised, string? explicitName, int aliasIndex, out int index)
    {
        index = explicitName is null ? aliasIndex : IndexOf(normalised, explicitName);
        return explicitName is null || index >= 0;
    }

    private static int IndexOf(string[] normalised, string name) =>
        Array.IndexOf(normalised, ColumnAliases.NormaliseHeader(name));
}
