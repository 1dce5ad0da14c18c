using System.Diagnostics.CodeAnalysis;
using ClockSync.Exports;

namespace ClockSync.Punches;

/// <summary>
/// Turns an export's wall-clock time into the Unix second that is sent to Feishu.
/// </summary>
/// <remarks>
/// <para>An offset written in the export (ISO 8601) wins over any zone: the file says which instant it means.</para>
/// <para>
/// Otherwise the time is read in the zone. Around a daylight-saving change one rule decides both edge cases:
/// <b>a wall time that does not exist or exists twice is read with the offset that was in force just before the
/// change.</b> Attendance clocks are set by hand and many do not change on the night itself, so the offset they kept
/// running on is the one from before the change.
/// </para>
/// <list type="bullet">
/// <item><b>Gap</b> (spring forward, e.g. 02:30 on 2025-03-30 in Europe/Berlin): read with the winter offset, which
/// lands one gap later (03:30 CEST) — exactly where a clock that had not been changed yet would have been.</item>
/// <item><b>Overlap</b> (fall back, e.g. 02:30 on 2025-10-26 in Europe/Berlin): read with the summer offset, i.e. the
/// earlier of the two instants. Both readings are equally plausible; the earlier one is what a clock not yet turned
/// back shows, and the choice is fixed so a re-export always gives the same instant (and fingerprint).</item>
/// </list>
/// <para>
/// An export can hold both passes through a repeated hour: two real punches of one user at the same wall time, one
/// before and one after the change. Read alike they would be one instant and one would be dropped as a duplicate, so
/// <see cref="PunchNormaliser"/> places them in file order (clocks write their log in order): the first occurrence of a
/// user's repeated wall time takes the earlier instant (the rule above), the second takes the later instant
/// (<see cref="LaterOffsetOf"/>), and a third is a duplicate. A cumulative re-export lists them in the same order, so
/// they get the same instants again.
/// </para>
/// <para>Assumes a zone never changes its offset twice within a day, which holds for every zone since 2022.</para>
/// </remarks>
public static class PunchTimeZones
{
    private static readonly DateTime UnixEpoch = DateTime.UnixEpoch;

    /// <summary>Finds a zone by IANA id (Windows ids also work where the platform maps them).</summary>
    public static bool TryFind(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || !string.Equals(id, id.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The Unix second of an export time, read in <paramref name="zone"/> unless it carries its own offset.</summary>
    public static long ToUnixSeconds(ExportTime time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return ToUnixSeconds(time.Local, time.Offset ?? OffsetOf(time.Local, zone));
    }

    internal static long ToUnixSeconds(ExportTime time, ZoneOffsetCache zone) =>
        ToUnixSeconds(time.Local, time.Offset ?? zone.OffsetOf(time.Local));

    /// <summary>The Unix second of a wall time read with <paramref name="offset"/>.</summary>
    internal static long ToUnixSeconds(DateTime local, TimeSpan offset)
    {
        var ticksSinceEpoch = local.Ticks - offset.Ticks - UnixEpoch.Ticks;

        // Fractional seconds are cut towards the past, also before 1970, so 08:57:31.9 stays second 31.
        var seconds = Math.DivRem(ticksSinceEpoch, TimeSpan.TicksPerSecond, out var remainder);
        return remainder < 0 ? seconds - 1 : seconds;
    }

    /// <summary>The offset of the second pass through a wall time a fall-back repeats (the later instant).</summary>
    public static TimeSpan LaterOffsetOf(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Min() : OffsetOf(local, zone);
    }

    /// <summary>The UTC offset that <see cref="ToUnixSeconds"/> applies to a wall time in a zone.</summary>
    public static TimeSpan OffsetOf(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            // Clocks go back: the offset falls, so the larger one was in force before the change (earlier instant).
            return zone.GetAmbiguousTimeOffsets(local).Max();
        }

        if (zone.IsInvalidTime(local))
        {
            // Clocks go forward: take the offset a day earlier, which is the one from before the change.
            var dayBefore = DateTime.SpecifyKind(local, DateTimeKind.Utc).AddDays(-1);
            return zone.GetUtcOffset(dayBefore);
        }

        return zone.GetUtcOffset(local);
    }
}
