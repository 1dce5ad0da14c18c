namespace ClockSync.Exports;

/// <summary>What a reader made of one line (or spreadsheet row) of an export.</summary>
public enum RawRecordKind : byte
{
    /// <summary>A candidate punch: user key and time were read.</summary>
    Punch,

    /// <summary>Not data: a blank line, a header or title row, a serial-number or checksum line.</summary>
    Skipped,

    /// <summary>Meant as data but unusable; <see cref="RawRecord.Field"/> and <see cref="RawRecord.Reason"/> say why.</summary>
    Rejected,
}

/// <summary>
/// One line of an export as a reader saw it. Every physical line (or row) yields at least one record — exactly one,
/// except that a delimited or Excel row holding several punches (a cell of several times, a time card's slots)
/// yields one per punch, all with the row's line number — so that <c>lines = skipped + punches + duplicates + rejected</c>
/// holds for every input, with <c>lines</c> counting records.
/// </summary>
public readonly record struct RawRecord
{
    /// <summary>1-based line number in the file (row number for spreadsheets).</summary>
    public required long Line { get; init; }

    public required RawRecordKind Kind { get; init; }

    /// <summary>The clock's user key (PIN, enrol number, 工号) as written, trimmed; never empty on a punch.</summary>
    public string? UserKey { get; init; }

    public ExportTime Time { get; init; }

    /// <summary>Device number, serial or name as written, when the export has one.</summary>
    public string? Device { get; init; }

    /// <summary>In/out status as written (code or text). Only ever used for the comment.</summary>
    public string? Direction { get; init; }

    /// <summary>The person's name as written, when the export has one.</summary>
    public string? Name { get; init; }

    /// <summary>On a rejected record: the field at fault (<c>time</c>, <c>user</c>, <c>line</c>, …).</summary>
    public string? Field { get; init; }

    /// <summary>On a rejected record: why, in words an operator can act on.</summary>
    public string? Reason { get; init; }

    public static RawRecord Skipped(long line) => new() { Line = line, Kind = RawRecordKind.Skipped };

    public static RawRecord Rejected(long line, string field, string reason) =>
        new() { Line = line, Kind = RawRecordKind.Rejected, Field = field, Reason = reason };
}
