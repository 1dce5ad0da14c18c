using ClockSync.Storage.Ledger;

namespace ClockSync.Tests.Storage;

public sealed class LedgerDaysTests
{
    [Theory]
    [InlineData("2024-02-29T00:00:00Z", "20240229")]
    [InlineData("2024-02-29T23:59:59Z", "20240229")]
    [InlineData("2024-03-01T00:00:00Z", "20240301")]
    [InlineData("1970-01-01T00:00:00Z", "19700101")]
    [InlineData("1969-12-31T23:59:59Z", "19691231")]
    [InlineData("1969-12-31T00:00:00Z", "19691231")]
    public void A_check_time_falls_on_its_UTC_day_by_number_and_by_name(string utc, string partition)
    {
        var checkTime = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();

        var number = LedgerDays.NumberOf(checkTime);

        Assert.Equal(partition, LedgerDays.Name(number));
        Assert.Equal(partition, LedgerDays.DayOf(checkTime));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(checkTime).UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), LedgerDays.DayOf(checkTime));
    }

    [Fact]
    public void Consecutive_day_numbers_name_consecutive_days_across_a_month_and_a_year_end()
    {
        var lastOf2024 = LedgerDays.NumberOf(new DateTimeOffset(2024, 12, 31, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());

        Assert.Equal("20241231", LedgerDays.Name(lastOf2024));
        Assert.Equal("20250101", LedgerDays.Name(lastOf2024 + 1));
    }
}
