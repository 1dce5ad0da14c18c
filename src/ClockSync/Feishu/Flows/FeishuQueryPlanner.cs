namespace ClockSync.Feishu.Flows;

/// <summary>
/// Splits a reconciliation range into <c>query</c> calls of at most 50 users and one local day each: the
/// longest range Feishu allows per call is unconfirmed, and a day is what attendance itself is organised by.
/// </summary>
public static class FeishuQueryPlanner
{
    /// <summary>
    /// Windows covering [<paramref name="from"/>, <paramref name="to"/>] without gaps or overlaps, cut at local
    /// midnight in <paramref name="zone"/>, for every chunk of 50 users.
    /// </summary>
    public static IReadOnlyList<FeishuQueryWindow> ByDay(
        IReadOnlyList<string> userIds, DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(zone);
        if (to < from)
        {
            throw new ArgumentException($"The range ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        var distinct = userIds.Distinct(StringComparer.Ordinal).ToList();
        var windows = new List<FeishuQueryWindow>();
        var first = from.ToUnixTimeSeconds();
        var last = to.ToUnixTimeSeconds();
        for (var start = first; start <= last;)
        {
            var end = Math.Min(NextLocalMidnight(start, zone) - 1, last);
            foreach (var chunk in distinct.Chunk(IFeishuAttendanceClient.MaxBatchSize))
            {
                windows.Add(new FeishuQueryWindow(chunk, start, end));
            }

            start = end + 1;
        }

        return windows;
    }

    private static long NextLocalMidnight(long unixSeconds, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone);
        var midnight = local.Date.AddDays(1);
        // A zone that springs forward at midnight has no 00:00 that day; its day then starts at the first valid minute.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(15);
        }

        var next = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUnixTimeSeconds();
        return next > unixSeconds ? next : unixSeconds + 1;
    }
}
