namespace ClockSync.Exports;

/// <summary>Order of day, month and year in slash or dot dates. Only year-first is ever assumed.</summary>
public enum DateOrder
{
    YearMonthDay,
    DayMonthYear,
    MonthDayYear,
}

/// <summary>
/// Explicit column names for delimited and Excel exports, for headers the aliases do not know.
/// Either <see cref="Time"/>, or <see cref="Date"/> together with <see cref="TimeOfDay"/>.
/// </summary>
public sealed record ColumnMapping
{
    public string? UserKey { get; init; }
    public string? Time { get; init; }
    public string? Date { get; init; }
    public string? TimeOfDay { get; init; }
    public string? Device { get; init; }
    public string? Direction { get; init; }
    public string? Name { get; init; }
}

/// <summary>How an export is read. The defaults detect everything and assume nothing ambiguous.</summary>
public sealed record ExportReadOptions
{
    public static ExportReadOptions Default { get; } = new();

    /// <summary>Forces a format instead of detecting it. <see cref="ExportFormat.ZkTecoPush"/> is only ever chosen here.</summary>
    public ExportFormat? Format { get; init; }

    /// <summary>Column names that override the header aliases.</summary>
    public ColumnMapping? Columns { get; init; }

    /// <summary>How to read dates such as <c>02/06/2025</c>. Year-first dates are always read as such.</summary>
    public DateOrder DateOrder { get; init; } = DateOrder.YearMonthDay;
}
