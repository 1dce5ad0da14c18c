using ClockSync.Feishu.Flows;


namespace ClockSync.Tests.Feishu;

public sealed class FeishuQueryPlannerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void A_range_is_cut_at_local_midnight_without_gaps_or_overlaps_per_chunk_of_fifty_users()
    {
        var users = Enumerable.Range(0, 120).Select(i => "u" + i).ToList();
        var from = new DateTimeOffset(2025, 6, 1, 18, 0, 0, TimeSpan.FromHours(8));
        var to = new DateTimeOffset(2025, 6, 3, 9, 30, 0, TimeSpan.FromHours(8));

        var windows = FeishuQueryPlanner.ByDay(users, from, to, Shanghai);

        var days = windows.Select(window => (window.CheckTimeFrom, window.CheckTimeTo)).Distinct().ToList();
        Assert.Equal(
            [
                (from.ToUnixTimeSeconds(), new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds() - 1),
                (new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds(), new DateTimeOffset(2025, 6, 3, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds() - 1),
                (new DateTimeOffset(2025, 6, 3, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds(), to.ToUnixTimeSeconds()),
            ],
            days);
        Assert.Equal(9, windows.Count);
        Assert.All(windows, window => Assert.InRange(window.UserIds.Count, 1, 50));
        Assert.All(days, day => Assert.Equal(users, windows.Where(w => (w.CheckTimeFrom, w.CheckTimeTo) == day).SelectMany(w => w.UserIds)));
    }

    [Fact]
    public void A_range_inside_one_day_is_one_window_and_a_reversed_range_is_refused()
    {
        var at = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

        var window = Assert.Single(FeishuQueryPlanner.ByDay(["u1", "u1"], at, at.AddHours(1), TimeZoneInfo.Utc));

        Assert.Equal(["u1"], window.UserIds);
        Assert.Equal((at.ToUnixTimeSeconds(), at.AddHours(1).ToUnixTimeSeconds()), (window.CheckTimeFrom, window.CheckTimeTo));
        Assert.Throws<ArgumentException>(() => FeishuQueryPlanner.ByDay(["u1"], at, at.AddSeconds(-1), TimeZoneInfo.Utc));
    }
}
