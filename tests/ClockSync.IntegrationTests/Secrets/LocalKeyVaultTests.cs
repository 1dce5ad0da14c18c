using Azure;
using Azure.Security.KeyVault.Secrets;

namespace ClockSync.IntegrationTests.Secrets;

/// <summary>
/// The local endpoint is only worth testing against if the real SecretClient accepts it: these tests drive the
/// SDK itself (no ClockSync code) through the challenge and the secret reads.
/// </summary>
public sealed class LocalKeyVaultTests : IAsyncLifetime
{
    private LocalKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await LocalKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task Real_SecretClient_answers_the_challenge_then_reads_the_secret_over_https()
    {
        var version = _vault.SetSecret("feishu-app-secret", "s3cr3t-value");
        var credential = new RecordingTokenCredential();
        var client = new SecretClient(_vault.VaultUri, credential, _vault.CreateClientOptions());

        KeyVaultSecret secret = await client.GetSecretAsync("feishu-app-secret");

        Assert.Equal("s3cr3t-value", secret.Value);
        Assert.Equal(version, secret.Properties.Version);
        Assert.Equal("feishu-app-secret", secret.Name);
        Assert.True(secret.Properties.Enabled);
        Assert.Equal(1, _vault.ChallengesIssued);
        Assert.Equal(2, _vault.TotalRequests);
        Assert.Equal(1, _vault.SecretReads);
        var tokenRequest = Assert.Single(credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], tokenRequest.Scopes);
        Assert.Equal(_vault.TenantId, tokenRequest.TenantId);
    }

    [Fact]
    public async Task Later_reads_reuse_the_challenge_and_the_token()
    {
        _vault.SetSecret("feishu-app-id", "cli_a1b2c3");
        var credential = new RecordingTokenCredential();
        var client = new SecretClient(_vault.VaultUri, credential, _vault.CreateClientOptions());

        await client.GetSecretAsync("feishu-app-id");
        await client.GetSecretAsync("feishu-app-id");

        Assert.Equal(1, _vault.ChallengesIssued);
        Assert.Equal(2, _vault.SecretReads);
        Assert.Equal(3, _vault.TotalRequests);
        Assert.Single(credential.Requests);
    }

    [Fact]
    public async Task A_rotated_secret_has_a_new_current_version_and_the_old_version_stays_readable()
    {
        var first = _vault.SetSecret("feishu-app-secret", "old-value");
        var second = _vault.SetSecret("feishu-app-secret", "new-value");
        var client = new SecretClient(_vault.VaultUri, new RecordingTokenCredential(), _vault.CreateClientOptions());

        KeyVaultSecret current = await client.GetSecretAsync("feishu-app-secret");
        KeyVaultSecret old = await client.GetSecretAsync("feishu-app-secret", first);

        Assert.NotEqual(first, second);
        Assert.Equal(("new-value", second), (current.Value, current.Properties.Version));
        Assert.Equal(("old-value", first), (old.Value, old.Properties.Version));
    }

    [Fact]
    public async Task A_missing_secret_is_a_404_with_Key_Vaults_SecretNotFound_code()
    {
        var client = new SecretClient(_vault.VaultUri, new RecordingTokenCredential(), _vault.CreateClientOptions());

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("no-such-secret"));

        Assert.Equal(404, failure.Status);
        Assert.Equal("SecretNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task A_disabled_secret_and_a_denied_identity_are_403s_with_their_codes()
    {
        _vault.SetSecret("feishu-app-secret", "value");
        _vault.DisableSecret("feishu-app-secret");
        var client = new SecretClient(_vault.VaultUri, new RecordingTokenCredential(), _vault.CreateClientOptions());

        var disabled = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("feishu-app-secret"));
        _vault.DenyAccess = true;
        var denied = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("feishu-app-secret"));

        Assert.Equal((403, "Forbidden"), (disabled.Status, disabled.ErrorCode));
        Assert.Contains("SecretDisabled", disabled.Message, StringComparison.Ordinal);
        Assert.Equal((403, "Forbidden"), (denied.Status, denied.ErrorCode));
        Assert.Contains("ForbiddenByRbac", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_refuses_a_certificate_other_than_the_pinned_one()
    {
        _vault.SetSecret("feishu-app-secret", "value");
        using var other = LoopbackCertificate.Create("CN=Some other server");
        var options = LocalKeyVault.CreateClientOptions(LoopbackCertificate.Sha256Thumbprint(other), out var transport);
        using (transport)
        {
            var client = new SecretClient(_vault.VaultUri, new RecordingTokenCredential(), options);

            var failure = await Record.ExceptionAsync(() => client.GetSecretAsync("feishu-app-secret"));

            Assert.NotNull(failure);
            Assert.Contains(
                Flatten(failure),
                e => e is System.Security.Authentication.AuthenticationException);
            Assert.Equal(0, _vault.TotalRequests);
        }
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : [.. new[] { exception.InnerException }.OfType<Exception>()];
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }
}
