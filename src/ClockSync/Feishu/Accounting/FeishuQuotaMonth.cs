using System.Globalization;

namespace ClockSync.Feishu.Accounting;

/// <summary>
/// Feishu's quota month: the calendar month in China time (UTC+8 all year, no daylight saving), which is when the
/// tenant's monthly quota resets — not the UTC month, which starts 8 hours later.
/// </summary>
public static class FeishuQuotaMonth
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The month <paramref name="instant"/> falls in, as <c>yyyy-MM</c>.</summary>
    public static string Of(DateTimeOffset instant) =>
        instant.ToOffset(ChinaOffset).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The instant the month after the one <paramref name="instant"/> falls in starts.</summary>
    public static DateTimeOffset NextStart(DateTimeOffset instant)
    {
        var china = instant.ToOffset(ChinaOffset);
        return new DateTimeOffset(china.Year, china.Month, 1, 0, 0, 0, ChinaOffset).AddMonths(1);
    }
}
