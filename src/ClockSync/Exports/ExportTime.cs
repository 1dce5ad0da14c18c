namespace ClockSync.Exports;

/// <summary>
/// A punch time as the export wrote it: a wall-clock time, and the UTC offset only when the export gave one
/// (ISO 8601 with an offset). Without an offset the configured time zone decides the instant later.
/// </summary>
/// <param name="Local">Wall-clock date and time, <see cref="DateTimeKind.Unspecified"/>.</param>
/// <param name="Offset">The offset written in the export, which wins over any configured zone.</param>
public readonly record struct ExportTime(DateTime Local, TimeSpan? Offset)
{
    /// <summary>
    /// The export wrote no seconds (<c>08:57</c>): <see cref="Local"/> is at :00 but the punch happened somewhere in that
    /// minute. Punch identity matches such a time against the whole minute.
    /// </summary>
    public bool MinuteOnly { get; init; }
}
