using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.KeyVault;
using ClockSync.Storage.KeyVault;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The pipeline reading the Feishu app credentials through the real SecretClient from a local HTTPS vault.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineKeyVaultTests(AzuriteFixture azurite)
{
    private const string RotatedSecret = "rotated-secret-Zq81-never-printed";

    [Fact]
    public async Task A_secret_rotated_in_Feishu_and_the_vault_mid_run_is_picked_up_without_a_restart()
    {
        await using var vault = await LocalKeyVault.StartAsync();
        vault.SetSecret("feishu-app-id", SandboxSettings.DefaultAppId);
        vault.SetSecret("feishu-app-secret", SandboxSettings.DefaultAppSecret);
        await using var harness = await PipelineHarness.StartAsync(
            azurite,
            settings: new Dictionary<string, string?>
            {
                ["ClockSync:KeyVault:VaultUri"] = vault.VaultUri.AbsoluteUri,
                // Nothing in configuration: the only way to the secret is the vault.
                ["ClockSync:Feishu:AppId"] = null,
                ["ClockSync:Feishu:AppSecret"] = null,
            },
            servicesWithConfiguration: (services, configuration) =>
                services.AddClockSyncSecrets(configuration, new RecordingTokenCredential(), vault.CreateClientOptions()));
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
}
