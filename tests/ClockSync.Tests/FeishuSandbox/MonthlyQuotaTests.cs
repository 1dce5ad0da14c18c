using System.Net;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §4: the monthly quota answers 429 + 99991403 once N counted calls were made; calls answered with
/// an error and token calls do not count.</summary>
public sealed class MonthlyQuotaTests
{
    [Fact]
    public async Task After_the_quota_of_successful_calls_batch_create_answers_429_with_99991403_and_records_nothing()
    {
        await using var sandbox = await StartAsync(s => s with { MonthlyQuota = 3 });
        var token = await sandbox.TokenAsync();
        _ = await sandbox.TokenAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: $"fp-{i}")));
            statuses.Add(response.StatusCode);
        }

        using var refused = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-3")));
        var body = await BodyAsync(refused);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(99991403, Code(body));
        Assert.Equal(3, sandbox.Server.Ledger.Count);
        Assert.Equal(3, sandbox.Server.MonthlyQuota.Counted);
    }

    [Fact]
    public async Task Calls_answered_with_an_error_do_not_count_and_a_raised_quota_lets_calls_through_again()
    {
        await using var sandbox = await StartAsync(s => s with { MonthlyQuota = 1 });
        var token = await sandbox.TokenAsync();

        using var invalid = await sandbox.BatchCreateAsync(token, Records(Flow("u7", checkTime: 1, idempotentId: "fp-old")));
        using var accepted = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-0")));
        using var refused = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        sandbox.Server.MonthlyQuota.Set(2);
        using var afterUpgrade = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            [invalid.StatusCode, accepted.StatusCode, refused.StatusCode, afterUpgrade.StatusCode]);
        Assert.Equal(2, sandbox.Server.MonthlyQuota.Counted);
        Assert.Equal(2, sandbox.Server.Ledger.Count);
    }
}
