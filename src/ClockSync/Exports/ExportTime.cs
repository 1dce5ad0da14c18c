namespace ClockSync.Exports;

/// <summary>
/// A punch time as the export wrote it: a wall-clock time, and the UTC offset only when the export gave one
/// (ISO 8601 with an offset). Without an offset the configured time zone decides the instant later.
/// </summary>
/// <remarks>
/// Every record of every line carries one, so it is kept at 24 bytes: the offset is held as ticks and a flag rather
/// than as a <see cref="Nullable{T}"/>, whose padding would leave no room for <see cref="MinuteOnly"/>.
/// </remarks>
public readonly record struct ExportTime
{
    private readonly long _offsetTicks;
    private readonly bool _hasOffset;

    /// <param name="local">Wall-clock date and time, <see cref="DateTimeKind.Unspecified"/>.</param>
    /// <param name="offset">The offset written in the export, which wins over any configured zone.</param>
    public ExportTime(DateTime local, TimeSpan? offset)
    {
        Local = local;
        _hasOffset = offset.HasValue;
        _offsetTicks = offset.GetValueOrDefault().Ticks;
    }

    /// <summary>Wall-clock date and time, <see cref="DateTimeKind.Unspecified"/>.</summary>
    public DateTime Local { get; init; }

    /// <summary>The offset written in the export, which wins over any configured zone.</summary>
    public TimeSpan? Offset
    {
        get => _hasOffset ? new TimeSpan(_offsetTicks) : null;
        init
        {
            _hasOffset = value.HasValue;
            _offsetTicks = value.GetValueOrDefault().Ticks;
        }
    }

    /// <summary>
    /// The export wrote no seconds (<c>08:57</c>): <see cref="Local"/> is at :00 but the punch happened somewhere in that
    /// minute. Punch identity matches such a time against the whole minute.
    /// </summary>
    public bool MinuteOnly { get; init; }

    public void Deconstruct(out DateTime local, out TimeSpan? offset)
    {
        local = Local;
        offset = Offset;
    }
}
