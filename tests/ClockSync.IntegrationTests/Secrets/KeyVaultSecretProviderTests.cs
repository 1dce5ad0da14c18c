using System.Net;
using System.Net.Sockets;
using Azure.Security.KeyVault.Secrets;
using ClockSync.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.IntegrationTests.Secrets;

public sealed class KeyVaultSecretProviderTests : IAsyncLifetime
{
    private const string Name = "feishu-app-secret";
    private const string Value = "Zx9-not-for-logs-7Qp";
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    // A failing read must surface within this bound (small retries); it guards against hanging, not a timing claim.
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger<KeyVaultSecretProvider> _logger = new();
    private LocalKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await LocalKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task Reads_the_secret_through_the_real_SecretClient()
    {
        _vault.SetSecret(Name, Value);

        var secret = await Provider().GetSecretAsync(Name);

        Assert.Equal(Value, secret.Reveal());
        Assert.Equal(1, _vault.SecretReads);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains(Name, StringComparison.Ordinal));
        AssertNeverLogged(Value);
    }

    [Fact]
    public async Task A_second_read_within_the_ttl_makes_no_request()
    {
        _vault.SetSecret(Name, Value);
        var provider = Provider();
        await provider.GetSecretAsync(Name);
        var requestsAfterFirstRead = _vault.TotalRequests;

        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        var second = await provider.GetSecretAsync(Name);

        Assert.Equal(Value, second.Reveal());
        Assert.Equal(requestsAfterFirstRead, _vault.TotalRequests);
        Assert.Equal(1, _vault.SecretReads);
    }

    [Fact]
    public async Task Once_the_ttl_has_passed_the_secret_is_read_again()
    {
        _vault.SetSecret(Name, "first");
        var provider = Provider();
        await provider.GetSecretAsync(Name);
        _vault.SetSecret(Name, "second");

        _time.Advance(Ttl);
        var refreshed = await provider.GetSecretAsync(Name);

        Assert.Equal("second", refreshed.Reveal());
        Assert.Equal(2, _vault.SecretReads);
    }

    [Fact]
    public async Task A_rotated_secret_is_served_from_cache_until_a_forced_refresh_picks_it_up()
    {
        _vault.SetSecret(Name, "before-rotation");
        var provider = Provider();
        await provider.GetSecretAsync(Name);
        _vault.SetSecret(Name, "after-rotation");

        var cached = await provider.GetSecretAsync(Name);
        var forced = await provider.GetSecretAsync(Name, forceRefresh: true);
        var afterwards = await provider.GetSecretAsync(Name);

        Assert.Equal("before-rotation", cached.Reveal());
        Assert.Equal("after-rotation", forced.Reveal());
        Assert.Equal("after-rotation", afterwards.Reveal());
        Assert.Equal(2, _vault.SecretReads);
    }

    [Fact]
    public async Task Concurrent_readers_share_one_request()
    {
        _vault.SetSecret(Name, Value);
        var provider = Provider();
        var held = _vault.HoldSecretResponses();

        var readers = Enumerable.Range(0, 16).Select(_ => provider.GetSecretAsync(Name).AsTask()).ToArray();
        await held.Arrived.WaitAsync(NoHang);
        Assert.All(readers, r => Assert.False(r.IsCompleted));
        held.Release();
        var values = await Task.WhenAll(readers).WaitAsync(NoHang);

        Assert.All(values, v => Assert.Equal(Value, v.Reveal()));
        Assert.Equal(1, _vault.SecretReads);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_shared_read_for_the_others()
    {
        _vault.SetSecret(Name, Value);
        var provider = Provider();
        var held = _vault.HoldSecretResponses();
        using var impatient = new CancellationTokenSource();

        var givingUp = provider.GetSecretAsync(Name, cancellationToken: impatient.Token).AsTask();
        var waiting = provider.GetSecretAsync(Name).AsTask();
        await held.Arrived.WaitAsync(NoHang);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givingUp);
        held.Release();

        Assert.Equal(Value, (await waiting.WaitAsync(NoHang)).Reveal());
        Assert.Equal(1, _vault.SecretReads);
    }

    [Fact]
    public async Task An_unreachable_vault_fails_promptly_with_a_message_naming_vault_and_secret()
    {
        var closed = ClosedLoopbackPort();
        var vaultUri = new Uri($"https://127.0.0.1:{closed}/");
        var provider = Provider(new SecretClient(vaultUri, new RecordingTokenCredential(), _vault.CreateClientOptions()));

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetSecretAsync(Name).AsTask().WaitAsync(NoHang));

        Assert.Equal(SecretUnavailableReason.VaultUnreachable, failure.Reason);
        Assert.True(failure.IsTransient);
        Assert.Equal(vaultUri, failure.VaultUri);
        Assert.Equal(Name, failure.SecretName);
        Assert.Contains(vaultUri.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Name}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_identity_without_access_gets_a_403_message_that_says_which_role_to_grant()
    {
        _vault.SetSecret(Name, Value);
        _vault.DenyAccess = true;

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => Provider().GetSecretAsync(Name).AsTask());

        Assert.Equal(SecretUnavailableReason.AccessDenied, failure.Reason);
        Assert.False(failure.IsTransient);
        Assert.Contains("Key Vault Secrets User", failure.Message, StringComparison.Ordinal);
        Assert.Contains("403 Forbidden/ForbiddenByRbac", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Name}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_vault.VaultUri.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("AccessDenied", StringComparison.Ordinal));
        AssertNoLeak(Value, failure);
        AssertNeverLogged(Value);
    }

    [Fact]
    public async Task A_missing_secret_gets_a_404_message_that_says_to_create_it()
    {
        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => Provider().GetSecretAsync("feishu-app-id").AsTask());

        Assert.Equal(SecretUnavailableReason.NotFound, failure.Reason);
        Assert.False(failure.IsTransient);
        Assert.Equal("feishu-app-id", failure.SecretName);
        Assert.Contains("was not found", failure.Message, StringComparison.Ordinal);
        Assert.Contains("az keyvault secret set --vault-name <vault> --name feishu-app-id", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_vault.VaultUri.ToString(), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_secret_is_reported_as_disabled_not_as_missing_access()
    {
        _vault.SetSecret(Name, Value);
        _vault.DisableSecret(Name);

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => Provider().GetSecretAsync(Name).AsTask());

        Assert.Equal(SecretUnavailableReason.Disabled, failure.Reason);
        Assert.Contains("is disabled", failure.Message, StringComparison.Ordinal);
        AssertNoLeak(Value, failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_secret_is_refused(string empty)
    {
        _vault.SetSecret(Name, empty);

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => Provider().GetSecretAsync(Name).AsTask());

        Assert.Equal(SecretUnavailableReason.Empty, failure.Reason);
        Assert.Contains($"'{Name}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_vault_is_unreachable_the_cached_value_is_served_for_one_more_ttl_then_the_failure_surfaces()
    {
        _vault.SetSecret(Name, Value);
        var provider = Provider();
        await provider.GetSecretAsync(Name);
        await _vault.StopAsync();

        _time.Advance(Ttl + TimeSpan.FromMinutes(1));
        var stale = await provider.GetSecretAsync(Name).AsTask().WaitAsync(NoHang);
        _time.Advance(Ttl);
        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetSecretAsync(Name).AsTask().WaitAsync(NoHang));

        Assert.Equal(Value, stale.Reveal());
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Serving the cached value of Key Vault secret {Name}", StringComparison.Ordinal));
        Assert.Equal(SecretUnavailableReason.VaultUnreachable, failure.Reason);
        AssertNoLeak(Value, failure);
        AssertNeverLogged(Value);
    }

    [Fact]
    public async Task A_forced_refresh_does_not_fall_back_to_the_cached_value()
    {
        _vault.SetSecret(Name, Value);
        var provider = Provider();
        await provider.GetSecretAsync(Name);
        await _vault.StopAsync();

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetSecretAsync(Name, forceRefresh: true).AsTask().WaitAsync(NoHang));

        Assert.Equal(SecretUnavailableReason.VaultUnreachable, failure.Reason);
    }

    [Fact]
    public async Task Revoked_access_drops_the_cached_value_at_once()
    {
        _vault.SetSecret(Name, Value);
        var provider = Provider();
        await provider.GetSecretAsync(Name);
        _vault.DenyAccess = true;

        var forced = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetSecretAsync(Name, forceRefresh: true).AsTask());
        var next = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetSecretAsync(Name).AsTask());

        Assert.Equal(SecretUnavailableReason.AccessDenied, forced.Reason);
        Assert.Equal(SecretUnavailableReason.AccessDenied, next.Reason);
        Assert.Equal(3, _vault.SecretReads);
    }

    [Fact]
    public async Task After_a_failure_the_next_call_asks_the_vault_again()
    {
        var provider = Provider();
        await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetSecretAsync(Name).AsTask());
        _vault.SetSecret(Name, Value);

        var secret = await provider.GetSecretAsync(Name);

        Assert.Equal(Value, secret.Reveal());
    }

    private KeyVaultSecretProvider Provider() =>
        Provider(new SecretClient(_vault.VaultUri, new RecordingTokenCredential(), _vault.CreateClientOptions()));

    private KeyVaultSecretProvider Provider(SecretClient client) =>
        new(client, Options.Create(new KeyVaultOptions { VaultUri = client.VaultUri, CacheTtl = Ttl }), _time, _logger);

    private void AssertNeverLogged(string value) =>
        Assert.All(_logger.Entries, e => Assert.DoesNotContain(value, e.AllText, StringComparison.Ordinal));

    private static void AssertNoLeak(string value, Exception failure) =>
        Assert.DoesNotContain(value, failure.ToString(), StringComparison.Ordinal);

    private static int ClosedLoopbackPort()
    {
        // Bind and release: nothing listens on the port afterwards, so connecting is refused straight away.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
