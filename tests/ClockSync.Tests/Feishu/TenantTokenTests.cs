using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;
using ClockSync.Tests.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Feishu;

public sealed class TenantTokenTests
{
    [Fact]
    public async Task A_token_is_fetched_once_and_reused_by_later_calls()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", i)], CancellationToken.None);
            Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
        }

        Assert.Single(harness.RequestsTo(SandboxEndpoints.Token));
        Assert.Equal(3, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count);
        Assert.Equal(3, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task Concurrent_first_calls_share_one_token_request()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        var calls = Enumerable.Range(0, 40)
            .Select(i => harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u" + i)], CancellationToken.None))
            .ToList();
        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes, outcome => Assert.IsType<FeishuBatchOutcome.Accepted>(outcome));
        Assert.Single(harness.RequestsTo(SandboxEndpoints.Token));
        Assert.Equal(1, harness.Sandbox.Tenant.TokensIssued);
        Assert.Equal(40, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task The_token_is_refreshed_ahead_of_expiry_by_the_margin_and_not_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await FeishuClientHarness.StartAsync(timeProvider: time);

        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 1)], CancellationToken.None));

        // 1 h 29 min into a 2 h token: 31 min remain, more than the 30 min margin — no refresh.
        time.Advance(TimeSpan.FromMinutes(89));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 2)], CancellationToken.None));
        Assert.Single(harness.RequestsTo(SandboxEndpoints.Token));

        // 1 h 31 min: 29 min remain, so the client asks again and Feishu hands out a new token.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 3)], CancellationToken.None));
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.Token).Count);
        Assert.Equal(2, harness.Sandbox.Tenant.TokensIssued);

        // No batch was ever refused for its token: the refresh happened before expiry.
        Assert.DoesNotContain(harness.RequestsTo(SandboxEndpoints.BatchCreate), request => request.Code == 99991663);
    }

    [Fact]
    public async Task A_token_past_its_expiry_is_never_sent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await FeishuClientHarness.StartAsync(timeProvider: time);
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 1)], CancellationToken.None));

        time.Advance(TimeSpan.FromHours(3));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 2)], CancellationToken.None));

        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.Token).Count);
        Assert.All(harness.RequestsTo(SandboxEndpoints.BatchCreate), request => Assert.Equal(0, request.Code));
    }

    [Fact]
    public async Task A_revoked_token_is_dropped_refetched_once_and_the_batch_resent()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 1)], CancellationToken.None));

        harness.Sandbox.Tenant.RevokeTokens();
        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 2)], CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
        var log = harness.Sandbox.Requests.Snapshot().Select(request => (request.Endpoint, request.Code)).ToList();
        Assert.Equal(
            [
                (SandboxEndpoints.Token, 0), (SandboxEndpoints.BatchCreate, 0),
                (SandboxEndpoints.BatchCreate, 99991663), (SandboxEndpoints.Token, 0), (SandboxEndpoints.BatchCreate, 0),
            ],
            log.Select(entry => (entry.Endpoint, entry.Code ?? -1)).ToList());
        Assert.Equal(2, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task Revocation_in_the_middle_of_a_concurrent_run_costs_one_new_token_and_loses_nothing()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("warmup")], CancellationToken.None));
        harness.Sandbox.Faults.OnCall(5, SandboxFault.RevokeTokens());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30)
            .Select(i => harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u" + i)], CancellationToken.None)));

        Assert.All(outcomes, outcome => Assert.IsType<FeishuBatchOutcome.Accepted>(outcome));
        Assert.Equal(31, harness.Sandbox.Ledger.Count);
        Assert.Equal(2, harness.Sandbox.Tenant.TokensIssued);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.Token).Count);
    }

    [Theory]
    [InlineData(99991661)]
    [InlineData(99991663)]
    [InlineData(99991664)]
    [InlineData(99991668)]
    [InlineData(99991671)]
    [InlineData(1220002)]
    public async Task An_invalid_token_code_is_retried_once_with_a_fresh_token(int code)
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(code, 401, "token problem"));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.Token).Count);
        Assert.Equal(1, harness.Sandbox.Ledger.Count);
    }

    [Theory]
    [InlineData(99991663, 401)]
    [InlineData(99991661, 400)]
    [InlineData(1220002, 400)]
    [InlineData(99991663, 200)]
    public async Task A_token_refused_again_after_the_refresh_is_an_auth_failure_without_further_calls(int code, int status)
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(5, SandboxFault.Error(code, status, "invalid access token"));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.AuthFailure>(outcome);
        Assert.Equal(code, failure.Error.Code);
        Assert.Equal(status, failure.Error.HttpStatus);
        Assert.Equal(harness.RequestsTo(SandboxEndpoints.BatchCreate)[^1].LogId, failure.Error.LogId);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count);
        Assert.Equal(0, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_wrong_secret_is_re_read_once_then_reported_as_an_auth_failure()
    {
        var credentials = new SwitchableCredentialSource(FeishuClientHarness.AppId, "stale-secret", "still-wrong");
        await using var harness = await FeishuClientHarness.StartAsync(credentials: credentials);

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.AuthFailure>(outcome);
        Assert.Equal(10014, failure.Error.Code);
        Assert.Equal(1, credentials.ForcedRefreshes);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.Token).Count);
        Assert.Empty(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_rotated_secret_is_picked_up_by_the_forced_re_read()
    {
        var credentials = new SwitchableCredentialSource(FeishuClientHarness.AppId, "old-secret", "new-secret");
        await using var harness = await FeishuClientHarness.StartAsync(credentials: credentials);
        harness.Sandbox.Tenant.SetApp(FeishuClientHarness.AppId, "new-secret");

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
        Assert.Equal(1, credentials.ForcedRefreshes);
        Assert.Equal(1, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task An_unknown_app_is_an_auth_failure_with_code_10003()
    {
        await using var harness = await FeishuClientHarness.StartAsync(
            clientSettings: new Dictionary<string, string?> { ["AppId"] = "cli_unknown" });

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.Equal(10003, Assert.IsType<FeishuBatchOutcome.AuthFailure>(outcome).Error.Code);
        Assert.Empty(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_token_endpoint_server_fault_is_transient_not_auth()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.ServerError(), SandboxEndpoints.Token);

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);
        var failure = Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
        Assert.Equal(FeishuTransientCause.ServerError, failure.Cause);

        // The failed fetch is not cached: the next call fetches again and succeeds.
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None));
    }
}
