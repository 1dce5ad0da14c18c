using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;
using ClockSync.Secrets;

namespace ClockSync.Tests.Feishu;

/// <summary>The answers of docs/feishu-contract.md §4 and §4a, each played by the sandbox and classified by the client.</summary>
public sealed class ContractAnswerTests
{
    private static readonly string[] Known = [.. Enumerable.Range(1, 60).Select(i => "u" + i)];

    /// <summary>1 June 2025 00:00 China time: records before it are in May.</summary>
    private static readonly long June = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds();

    [Theory]
    [InlineData(ErrorStatusStyle.Documented)]
    [InlineData(ErrorStatusStyle.AlwaysHttp200)]
    public async Task The_monthly_quota_is_quota_exhausted_not_throttling(ErrorStatusStyle status)
    {
        await using var harness = await StartAsync(new SandboxBehaviour { ErrorStatus = status });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(99991403, 429, "request trigger monthly quota limit"));

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1", "u2"]), CancellationToken.None);

        var quota = Assert.IsType<FeishuBatchOutcome.QuotaExhausted>(outcome);
        Assert.Equal(99991403, quota.Error.Code);
        Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_sealed_month_fails_alone_and_the_open_month_of_the_batch_lands()
    {
        await using var harness = await StartAsync(new SandboxBehaviour { SealedMonths = new HashSet<string>(["2025-05"]) });
        var may = Enumerable.Range(0, 3).Select(i => FeishuClientHarness.Record("u1", i) with { CheckTime = June - 3600 - i }).ToList();
        var june = Enumerable.Range(10, 3).Select(i => FeishuClientHarness.Record("u2", i) with { CheckTime = June + 3600 + i }).ToList();

        var mixed = await harness.Client.BatchCreateAsync([.. may, .. june], CancellationToken.None);
        var onlyMay = await harness.Client.BatchCreateAsync(may, CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(mixed);
        Assert.Equal(june, partial.AcceptedRecords);
        Assert.Equal(may, partial.Failures.Select(failure => failure.Record));
        Assert.All(partial.Failures, failure => Assert.Equal((FeishuRecordFailureKind.SealedPeriod, 1220600), (failure.Kind, failure.Error.Code)));
        var sealedOnly = Assert.IsType<FeishuBatchOutcome.PermanentFailure>(onlyMay);
        Assert.True(FeishuErrorClassifier.IsSealedPeriod(sealedOnly.Error));
        Assert.Empty(sealedOnly.FailedUserIds);
        Assert.Equal(3, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task Name_or_employee_no_invalid_is_an_unknown_user_isolated_like_1220004()
    {
        await using var harness = await StartAsync(new SandboxBehaviour { UnknownUserMode = UnknownUserMode.WholeRequestEmployeeNoInvalid });

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1", "ghost", "u2"], perUser: 2), CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(outcome);
        Assert.Equal(["ghost"], partial.UnknownUserIds);
        Assert.Equal(4, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task The_object_already_exists_is_success()
    {
        await using var harness = await StartAsync(new SandboxBehaviour());
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(1220600, 400, "the object already exists"));

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1"]), CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
    }

    [Fact]
    public async Task After_a_1220004_users_Feishu_accepted_before_go_first_and_one_new_user_is_convicted_without_a_call()
    {
        await using var harness = await StartAsync(new SandboxBehaviour { UnknownUserMode = UnknownUserMode.WholeRequest1220004 });
        var users = Enumerable.Range(1, 49).Select(i => "u" + i).ToList();
        await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(users), CancellationToken.None);
        var before = harness.RequestsTo(SandboxEndpoints.BatchCreate).Count;

        var outcome = await harness.Client.BatchCreateAsync(
            [.. users.Select(user => FeishuClientHarness.Record(user, 1)), FeishuClientHarness.Record("ghost", 1)], CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(outcome);
        Assert.Equal(["ghost"], partial.UnknownUserIds);
        Assert.Equal(49, partial.AcceptedRecords.Count);
        // The refused call, then the known users' records in one call: two calls where halving would take about nine.
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count - before);
        Assert.Equal(98, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_gateway_page_from_the_token_endpoint_is_transient_not_bad_credentials()
    {
        await using var harness = await StartAsync(new SandboxBehaviour());
        harness.Sandbox.Faults.NextCalls(2, SandboxFault.GatewayHtml(403), SandboxEndpoints.Token);

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1"]), CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
    }

    [Fact]
    public async Task Unreadable_secrets_are_transient_and_a_valid_cached_token_is_used_meanwhile()
    {
        var secrets = new FlakySecrets();
        await using var harness = await FeishuClientHarness.StartAsync(Settings(new SandboxBehaviour()), credentials: secrets);
        var first = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1"]), CancellationToken.None);

        secrets.Broken = true;
        var whileBroken = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u2")], CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(first);
        Assert.IsType<FeishuBatchOutcome.Accepted>(whileBroken);
        Assert.Equal(2, harness.Sandbox.Ledger.Count);

        await using var cold = await FeishuClientHarness.StartAsync(Settings(new SandboxBehaviour()), credentials: new FlakySecrets { Broken = true });
        var noToken = await cold.Client.BatchCreateAsync([FeishuClientHarness.Record("u3")], CancellationToken.None);
        Assert.IsType<FeishuBatchOutcome.TransientFailure>(noToken);
    }

    private static Task<FeishuClientHarness> StartAsync(SandboxBehaviour behaviour) => FeishuClientHarness.StartAsync(Settings(behaviour));

    private static SandboxSettings Settings(SandboxBehaviour behaviour) => new() { KnownUsers = SandboxUsers.Same(Known), Behaviour = behaviour };

    /// <summary>A secrets store that can become unreachable (a Key Vault blip), failing as the Key Vault provider does.</summary>
    private sealed class FlakySecrets : IFeishuAppCredentialsProvider
    {
        public volatile bool Broken;

        public ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken) => Broken
            ? throw new SecretUnavailableException(
                new Uri("https://clocksync-kv.vault.azure.net/"), "feishu-app-secret", SecretUnavailableReason.VaultUnreachable,
                isTransient: true, "Key Vault could not be reached.", new HttpRequestException("vault unreachable"))
            : ValueTask.FromResult(new FeishuAppCredentials(FeishuClientHarness.AppId, new SecretText(FeishuClientHarness.AppSecret)));
    }
}
