using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.Secrets;
using ClockSync.Secrets;
using ClockSync.Storage.Failures;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The pipeline reading the Feishu app credentials through the real SecretClient from a local HTTPS vault.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineKeyVaultTests(AzuriteFixture azurite)
{
    private const string RotatedSecret = "rotated-secret-Zq81-never-printed";

    [Fact]
    public async Task A_secret_rotated_in_Feishu_and_the_vault_mid_run_is_picked_up_without_a_restart()
    {
        await using var vault = await VaultWithTheSandboxAppAsync();
        await using var harness = await StartAsync(vault);
        await harness.UploadAndIngestAsync("vault.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));

        var first = (await harness.Queue.ReceiveMessageAsync()).Value;
        await harness.Post.HandleAsync(first.MessageText, 1, CancellationToken.None);
        await harness.Queue.DeleteMessageAsync(first.MessageId, first.PopReceipt);
        var readsBeforeRotation = vault.SecretReads;
        var ledgerBeforeRotation = harness.LedgerIds().Count;

        harness.Sandbox.Tenant.SetApp(SandboxSettings.DefaultAppId, RotatedSecret);
        harness.Sandbox.Tenant.RevokeTokens();
        vault.SetSecret("feishu-app-secret", RotatedSecret);
        var delivered = await harness.DrainQueueAsync();

        Assert.Equal((2, 50, 1), (readsBeforeRotation, ledgerBeforeRotation, delivered));
        Assert.True(vault.SecretReads > readsBeforeRotation, "the rotated secret must be read from the vault again");
        Assert.Equal(100, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
        var tokenCalls = harness.Sandbox.Requests.Snapshot().Where(request => request.Endpoint == SandboxEndpoints.Token).ToList();
        Assert.Contains(tokenCalls, request => request.Code is not null and not 0);
        Assert.Equal(2, harness.Sandbox.Tenant.TokensIssued);
    }

    [Fact]
    public async Task An_unreachable_vault_keeps_batches_pending_never_counted_as_refused_credentials_then_they_post_once()
    {
        await using var vault = await VaultWithTheSandboxAppAsync();
        vault.Unavailable = true;
        // More rounds below than AuthFailuresBeforeParking (2), fewer than MaxAttempts: only the auth count could park.
        await using var harness = await StartAsync(vault, ("ClockSync:Retry:MaxAttempts", "8"));
        await harness.UploadAndIngestAsync("blip.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));

        await harness.DrainQueueAsync();
        for (var round = 0; round < 3; round++)
        {
            harness.Time.Advance(TimeSpan.FromHours(2));
            await harness.Retry.HandleAsync(CancellationToken.None);
        }

        var waiting = await harness.FailedRowsAsync();
        Assert.Equal(2, waiting.Count);
        Assert.All(waiting, row => Assert.Equal((FailedBatchEntity.Pending, 0, 4), (row.State, row.AuthFailures, row.AttemptCount)));
        Assert.Empty(harness.LedgerIds());
        Assert.Equal(0, harness.Sandbox.Tenant.TokensIssued);
        Assert.True(vault.SecretReads >= 4, "every round must have asked the vault");

        vault.Unavailable = false;
        await harness.RetryUntilSettledAsync();

        Assert.Equal(PipelineHarness.Punches(100).Length, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task While_the_vault_cannot_be_read_a_still_valid_cached_token_keeps_posting()
    {
        await using var vault = await VaultWithTheSandboxAppAsync();
        await using var harness = await StartAsync(vault);
        await harness.UploadAndIngestAsync("cached.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));
        var first = (await harness.Queue.ReceiveMessageAsync()).Value;
        await harness.Post.HandleAsync(first.MessageText, 1, CancellationToken.None);
        await harness.Queue.DeleteMessageAsync(first.MessageId, first.PopReceipt);

        // Past the secrets' stale limit (two cache TTLs of 10 minutes), well inside the token's two hours.
        vault.Unavailable = true;
        harness.Time.Advance(TimeSpan.FromMinutes(25));
        var readsBefore = vault.SecretReads;
        await harness.DrainQueueAsync();

        Assert.True(vault.SecretReads > readsBefore, "the vault must have been asked, and failed");
        Assert.Equal(100, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(1, harness.Sandbox.Tenant.TokensIssued);
    }

    private static async Task<LocalKeyVault> VaultWithTheSandboxAppAsync()
    {
        var vault = await LocalKeyVault.StartAsync();
        vault.SetSecret("feishu-app-id", SandboxSettings.DefaultAppId);
        vault.SetSecret("feishu-app-secret", SandboxSettings.DefaultAppSecret);
        return vault;
    }

    private Task<PipelineHarness> StartAsync(LocalKeyVault vault, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ClockSync:KeyVault:VaultUri"] = vault.VaultUri.AbsoluteUri,
            // Nothing in configuration: the only way to the secret is the vault.
            ["ClockSync:Feishu:AppId"] = null,
            ["ClockSync:Feishu:AppSecret"] = null,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return PipelineHarness.StartAsync(
            azurite,
            settings: settings,
            servicesWithConfiguration: (services, configuration) =>
                services.AddClockSyncSecrets(configuration, new RecordingTokenCredential(), vault.CreateClientOptions()));
    }
}
