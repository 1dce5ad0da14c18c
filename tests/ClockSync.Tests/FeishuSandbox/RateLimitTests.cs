using System.Net;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §2: a token bucket per app answering 429 + 99991400 + the rate-limit headers. The fake clock
/// stands still unless a test advances it, so the bucket only refills when told.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task The_51st_request_in_the_same_instant_is_throttled_with_the_headers()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        for (var i = 0; i < 50; i++)
        {
            using var allowed = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: $"fp-{i}")));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var throttled = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-50")));
        var body = await BodyAsync(throttled);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(99991400, Code(body));
        Assert.Equal("50", Header(throttled, "x-ogw-ratelimit-limit"));
        Assert.Equal("0.02", Header(throttled, "x-ogw-ratelimit-reset"));
        Assert.False(throttled.Headers.Contains("Retry-After"));
        Assert.Equal(LogIdHeader(throttled), body["error"]!["log_id"]!.GetValue<string>());
        Assert.Equal(50, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task The_bucket_refills_with_time()
    {
        await using var sandbox = await StartAsync(s => s with { RateLimit = new SandboxRateLimit(RequestsPerSecond: 10, Burst: 2) });
        var token = await sandbox.TokenAsync();

        var first = await StatusAsync(sandbox, token);
        var second = await StatusAsync(sandbox, token);
        var third = await StatusAsync(sandbox, token);
        sandbox.Time.Advance(TimeSpan.FromMilliseconds(99));
        var tooEarly = await StatusAsync(sandbox, token);
        sandbox.Time.Advance(TimeSpan.FromMilliseconds(1));
        var refilled = await StatusAsync(sandbox, token);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            [first, second, third, tooEarly, refilled]);
    }

    [Fact]
    public async Task A_sustained_rate_at_the_limit_is_never_throttled()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            statuses.Add(await StatusAsync(sandbox, token));
            sandbox.Time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Whole_second_reset_and_retry_after_can_be_played()
    {
        await using var sandbox = await StartAsync(s => s with
        {
            RateLimit = new SandboxRateLimit(RequestsPerSecond: 2, Burst: 1, FractionalReset: false, RetryAfterHeader: true),
        });
        var token = await sandbox.TokenAsync();

        using var allowed = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        using var throttled = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("2", Header(throttled, "x-ogw-ratelimit-limit"));
        Assert.Equal("1", Header(throttled, "x-ogw-ratelimit-reset"));
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Throttling_can_come_with_http_200()
    {
        await using var sandbox = await StartAsync(s => s with
        {
            RateLimit = new SandboxRateLimit(RequestsPerSecond: 1),
            Behaviour = s.Behaviour with { ErrorStatus = ErrorStatusStyle.AlwaysHttp200 },
        });
        var token = await sandbox.TokenAsync();

        using var allowed = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        using var throttled = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.OK, throttled.StatusCode);
        Assert.Equal(99991400, Code(await BodyAsync(throttled)));
        Assert.Equal("1", Header(throttled, "x-ogw-ratelimit-reset"));
    }

    [Fact]
    public async Task Apps_and_endpoints_have_separate_buckets()
    {
        await using var sandbox = await StartAsync(s => s with
        {
            RateLimit = new SandboxRateLimit(RequestsPerSecond: 1),
            Apps = new Dictionary<string, string>(StringComparer.Ordinal) { [SandboxHarness.AppId] = AppSecret, ["cli_other"] = "other-secret" },
        });
        var token = await sandbox.TokenAsync();
        var otherToken = await sandbox.TokenAsync("cli_other", "other-secret");

        var first = await StatusAsync(sandbox, token);
        var sameApp = await StatusAsync(sandbox, token);
        var otherApp = await StatusAsync(sandbox, otherToken);
        using var query = await sandbox.QueryAsync(token, QueryTests.Body(["u7"], 1, 2));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK],
            [first, sameApp, otherApp, query.StatusCode]);
    }

    [Fact]
    public async Task A_rate_of_zero_turns_the_limit_off_and_token_requests_are_never_limited()
    {
        await using var sandbox = await StartAsync(s => s with { RateLimit = SandboxRateLimit.Off });

        var tokens = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            tokens.Add(await sandbox.TokenAsync());
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add(await StatusAsync(sandbox, tokens[0]));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    private static async Task<HttpStatusCode> StatusAsync(SandboxHarness sandbox, string token)
    {
        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        return response.StatusCode;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    [Fact]
    public void The_effective_burst_defaults_to_one_second_of_requests()
    {
        Assert.Equal(50, new SandboxRateLimit().EffectiveBurst);
        Assert.Equal(1, new SandboxRateLimit(0.5).EffectiveBurst);
        Assert.Equal(7, new SandboxRateLimit(50, 7).EffectiveBurst);
        Assert.False(SandboxRateLimit.Off.Enabled);
    }
}
