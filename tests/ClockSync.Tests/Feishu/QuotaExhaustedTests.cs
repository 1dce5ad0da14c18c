using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;

namespace ClockSync.Tests.Feishu;

/// <summary>
/// Contract §4: HTTP 429 with 99991403 is the monthly quota, not the frequency limit — its own outcome, never retried on
/// a seconds scale; and Feishu's quota month is the calendar month in China time.
/// </summary>
public sealed class QuotaExhaustedTests
{
    [Fact]
    public async Task A_429_with_99991403_is_quota_exhausted_not_throttling()
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings { MonthlyQuota = 1 });

        var first = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);
        var second = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 1)], CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(first);
        var exhausted = Assert.IsType<FeishuBatchOutcome.QuotaExhausted>(second);
        Assert.Equal((FeishuCodes.MonthlyQuotaExhausted, 429), (exhausted.Error.Code, exhausted.Error.HttpStatus));
        Assert.NotNull(exhausted.Error.LogId);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count);
    }

    [Theory]
    [InlineData("2026-11-30T15:59:59Z", "2026-11", "2026-11-30T16:00:00Z")]
    [InlineData("2026-11-30T16:00:00Z", "2026-12", "2026-12-31T16:00:00Z")]
    [InlineData("2026-12-31T17:00:00Z", "2027-01", "2027-01-31T16:00:00Z")]
    public void The_quota_month_is_the_calendar_month_in_China_time(string instant, string month, string nextStart)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(month, FeishuQuotaMonth.Of(at));
        Assert.Equal(DateTimeOffset.Parse(nextStart, System.Globalization.CultureInfo.InvariantCulture), FeishuQuotaMonth.NextStart(at));
    }
}
