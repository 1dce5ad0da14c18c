namespace ClockSync.Punches;

/// <summary>
/// Remembers the UTC offset of the last local day seen in one zone when that whole day has a single offset, so the
/// common case (an export is a run of punches on the same days) skips three time-zone rule look-ups per punch.
/// Days with a change, or whose edges are in a gap or overlap, always take <see cref="PunchTimeZones.OffsetOf"/>.
/// Not thread-safe: one per normaliser.
/// </summary>
internal sealed class ZoneOffsetCache(TimeZoneInfo zone)
{
    private DateOnly _day = DateOnly.MinValue;
    private TimeSpan? _offset;
    private bool _known;

    public TimeZoneInfo Zone { get; } = zone;

    public TimeSpan OffsetOf(DateTime local)
    {
        var day = DateOnly.FromDateTime(local);
        if (!_known || day != _day)
        {
            _day = day;
            _offset = UniformOffset(day);
            _known = true;
        }

        return _offset ?? PunchTimeZones.OffsetOf(local, Zone);
    }

    /// <summary>True when a fall-back repeats <paramref name="local"/>; cheap on a day with one offset.</summary>
    public bool IsRepeated(DateTime local)
    {
        if (_known && _offset is not null && DateOnly.FromDateTime(local) == _day)
        {
            return false;
        }

        return Zone.IsAmbiguousTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
    }

    private TimeSpan? UniformOffset(DateOnly day)
    {
        // Zones change offset at most once a day, so equal, unambiguous offsets at both ends mean no change within.
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var end = day.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Unspecified);
        if (day == DateOnly.MinValue || day == DateOnly.MaxValue
            || Zone.IsInvalidTime(start) || Zone.IsAmbiguousTime(start) || Zone.IsInvalidTime(end) || Zone.IsAmbiguousTime(end))
        {
            return null;
        }

        var offset = Zone.GetUtcOffset(start);
        return offset == Zone.GetUtcOffset(end) ? offset : null;
    }
}
