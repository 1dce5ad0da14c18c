using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

public sealed class PunchTimeZonesTests
{
    private static readonly TimeZoneInfo Shanghai = Zone("Asia/Shanghai");
    private static readonly TimeZoneInfo Berlin = Zone("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = Zone("America/New_York");

    [Fact]
    public void Wall_time_is_read_in_the_zone()
    {
        var seconds = PunchTimeZones.ToUnixSeconds(At(2025, 6, 2, 8, 57, 31), Shanghai);

        Assert.Equal(1748825851, seconds);
    }

    [Fact]
    public void An_offset_in_the_export_wins_over_the_zone()
    {
        var time = new ExportTime(new DateTime(2025, 6, 2, 8, 57, 31), TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2025, 6, 2, 6, 57, 31, TimeSpan.Zero).ToUnixTimeSeconds(), PunchTimeZones.ToUnixSeconds(time, Shanghai));
    }

    [Fact]
    public void Fractional_seconds_are_cut_to_the_second_they_belong_to()
    {
        var time = new ExportTime(new DateTime(2025, 6, 2, 8, 57, 31, 900), null);

        Assert.Equal(1748825851, PunchTimeZones.ToUnixSeconds(time, Shanghai));
    }

    [Fact]
    public void Berlin_gap_is_read_with_the_winter_offset_so_it_lands_one_hour_later()
    {
        // 2025-03-30 02:30 does not exist in Berlin (02:00 CET → 03:00 CEST).
        Assert.True(Berlin.IsInvalidTime(new DateTime(2025, 3, 30, 2, 30, 0)));

        var seconds = PunchTimeZones.ToUnixSeconds(At(2025, 3, 30, 2, 30, 0), Berlin);

        var expected = new DateTimeOffset(2025, 3, 30, 3, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(expected.ToUnixTimeSeconds(), seconds);
    }

    [Fact]
    public void Berlin_overlap_is_read_as_the_earlier_instant()
    {
        // 2025-10-26 02:30 happens twice in Berlin: first at +02:00 (CEST), then at +01:00 (CET).
        Assert.True(Berlin.IsAmbiguousTime(new DateTime(2025, 10, 26, 2, 30, 0)));

        var seconds = PunchTimeZones.ToUnixSeconds(At(2025, 10, 26, 2, 30, 0), Berlin);

        Assert.Equal(new DateTimeOffset(2025, 10, 26, 2, 30, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds(), seconds);
    }

    [Fact]
    public void New_York_gap_and_overlap_follow_the_same_rule()
    {
        var gap = PunchTimeZones.ToUnixSeconds(At(2025, 3, 9, 2, 15, 0), NewYork);
        var overlap = PunchTimeZones.ToUnixSeconds(At(2025, 11, 2, 1, 30, 0), NewYork);

        Assert.Equal(new DateTimeOffset(2025, 3, 9, 3, 15, 0, TimeSpan.FromHours(-4)).ToUnixTimeSeconds(), gap);
        Assert.Equal(new DateTimeOffset(2025, 11, 2, 1, 30, 0, TimeSpan.FromHours(-4)).ToUnixTimeSeconds(), overlap);
    }

    [Fact]
    public void Times_next_to_a_change_use_their_own_offset()
    {
        var beforeGap = PunchTimeZones.ToUnixSeconds(At(2025, 3, 30, 1, 59, 59), Berlin);
        var afterGap = PunchTimeZones.ToUnixSeconds(At(2025, 3, 30, 3, 0, 0), Berlin);

        Assert.Equal(new DateTimeOffset(2025, 3, 30, 1, 59, 59, TimeSpan.FromHours(1)).ToUnixTimeSeconds(), beforeGap);
        Assert.Equal(beforeGap + 1, afterGap);
    }

    [Theory]
    [InlineData("Asia/Shanghai", true)]
    [InlineData("Europe/Berlin", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    [InlineData(" Asia/Shanghai", false)]
    public void Zones_are_found_by_IANA_id(string id, bool known)
    {
        Assert.Equal(known, PunchTimeZones.TryFind(id, out _));
    }

    private static ExportTime At(int year, int month, int day, int hour, int minute, int second) =>
        new(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified), null);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
