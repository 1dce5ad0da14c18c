using Azure.Security.KeyVault.Secrets;
using ClockSync.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.IntegrationTests.Secrets;

/// <summary>The Feishu credentials as the app wires them: <c>AddClockSyncSecrets</c> with the vault or without it.</summary>
public sealed class FeishuAppCredentialsTests : IAsyncLifetime
{
    private const string AppSecret = "app-secret-Hk29-never-printed";
    private LocalKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await LocalKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task With_a_vault_configured_the_credentials_come_from_its_two_secrets()
    {
        _vault.SetSecret("feishu-app-id", "cli_a1b2c3d4");
        _vault.SetSecret("feishu-app-secret", AppSecret);
        var credential = new RecordingTokenCredential();
        using var services = VaultServices(credential);

        var provider = services.GetRequiredService<IFeishuAppCredentialsProvider>();
        var credentials = await provider.GetAsync(forceRefresh: false, CancellationToken.None);

        Assert.IsType<KeyVaultFeishuAppCredentialsProvider>(provider);
        Assert.Equal("cli_a1b2c3d4", credentials.AppId);
        Assert.Equal(AppSecret, credentials.Secret.Reveal());
        Assert.Equal(["https://vault.azure.net/.default"], credential.Requests[0].Scopes);
        Assert.Contains("cli_a1b2c3d4", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_an_auth_failure_a_forced_refresh_picks_up_the_rotated_app_secret()
    {
        _vault.SetSecret("feishu-app-id", "cli_a1b2c3d4");
        _vault.SetSecret("feishu-app-secret", "before-rotation");
        using var services = VaultServices(new RecordingTokenCredential());
        var provider = services.GetRequiredService<IFeishuAppCredentialsProvider>();
        await provider.GetAsync(forceRefresh: false, CancellationToken.None);
        _vault.SetSecret("feishu-app-secret", "after-rotation");

        var cached = await provider.GetAsync(forceRefresh: false, CancellationToken.None);
        var refreshed = await provider.GetAsync(forceRefresh: true, CancellationToken.None);

        Assert.Equal("before-rotation", cached.Secret.Reveal());
        Assert.Equal("after-rotation", refreshed.Secret.Reveal());
        Assert.Equal(4, _vault.SecretReads);
    }

    [Fact]
    public async Task Secret_names_and_ttl_come_from_configuration()
    {
        _vault.SetSecret("lark-app-id", "cli_lark");
        _vault.SetSecret("lark-app-secret", AppSecret);
        var time = new FakeTimeProvider();
        using var services = VaultServices(
            new RecordingTokenCredential(),
            time,
            ("ClockSync:KeyVault:AppIdSecretName", "lark-app-id"),
            ("ClockSync:KeyVault:AppSecretSecretName", "lark-app-secret"),
            ("ClockSync:KeyVault:CacheTtl", "00:01:00"));
        var provider = services.GetRequiredService<IFeishuAppCredentialsProvider>();

        var credentials = await provider.GetAsync(forceRefresh: false, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await provider.GetAsync(forceRefresh: false, CancellationToken.None);
        var readsWithinTtl = _vault.SecretReads;
        time.Advance(TimeSpan.FromSeconds(1));
        await provider.GetAsync(forceRefresh: false, CancellationToken.None);

        Assert.Equal(("cli_lark", AppSecret), (credentials.AppId, credentials.Secret.Reveal()));
        Assert.Equal(2, readsWithinTtl);
        Assert.Equal(4, _vault.SecretReads);
    }

    [Fact]
    public async Task A_trailing_newline_left_by_az_keyvault_secret_set_file_is_trimmed()
    {
        _vault.SetSecret("feishu-app-id", "cli_a1b2c3d4\n");
        _vault.SetSecret("feishu-app-secret", AppSecret + "\r\n");
        using var services = VaultServices(new RecordingTokenCredential());

        var credentials = await services.GetRequiredService<IFeishuAppCredentialsProvider>().GetAsync(false, CancellationToken.None);

        Assert.Equal(("cli_a1b2c3d4", AppSecret), (credentials.AppId, credentials.Secret.Reveal()));
    }

    [Fact]
    public async Task A_missing_app_id_secret_fails_with_its_name_even_when_the_app_secret_exists()
    {
        _vault.SetSecret("feishu-app-secret", AppSecret);
        using var services = VaultServices(new RecordingTokenCredential());

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(
            () => services.GetRequiredService<IFeishuAppCredentialsProvider>().GetAsync(false, CancellationToken.None).AsTask());

        Assert.Equal(("feishu-app-id", SecretUnavailableReason.NotFound), (failure.SecretName, failure.Reason));
        Assert.DoesNotContain(AppSecret, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_production_registration_builds_a_SecretClient_for_the_configured_vault()
    {
        using var services = Services(new ServiceCollection(), ("ClockSync:KeyVault:VaultUri", "https://clocksync-kv.vault.azure.net/"), ("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001"));

        var client = services.GetRequiredService<SecretClient>();

        Assert.Equal(new Uri("https://clocksync-kv.vault.azure.net/"), client.VaultUri);
        Assert.IsType<KeyVaultFeishuAppCredentialsProvider>(services.GetRequiredService<IFeishuAppCredentialsProvider>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Without_a_vault_the_credentials_come_from_configuration(string? vaultUri)
    {
        using var services = Services(
            new ServiceCollection(),
            ("ClockSync:KeyVault:VaultUri", vaultUri),
            ("ClockSync:Feishu:AppId", "cli_local"),
            ("ClockSync:Feishu:AppSecret", AppSecret));

        var provider = services.GetRequiredService<IFeishuAppCredentialsProvider>();
        var credentials = await provider.GetAsync(forceRefresh: true, CancellationToken.None);

        Assert.IsType<ConfigurationFeishuAppCredentialsProvider>(provider);
        Assert.Equal(("cli_local", AppSecret), (credentials.AppId, credentials.Secret.Reveal()));
        Assert.Null(services.GetService<SecretClient>());
        Assert.Null(services.GetRequiredService<IOptions<KeyVaultOptions>>().Value.VaultUri);
    }

    [Fact]
    public async Task Without_a_vault_or_a_configured_secret_the_message_says_which_setting_to_add()
    {
        using var services = Services(new ServiceCollection(), ("ClockSync:Feishu:AppId", "cli_local"));

        var failure = await Assert.ThrowsAsync<SecretUnavailableException>(
            () => services.GetRequiredService<IFeishuAppCredentialsProvider>().GetAsync(false, CancellationToken.None).AsTask());

        Assert.Equal(SecretUnavailableReason.NotConfigured, failure.Reason);
        Assert.Null(failure.VaultUri);
        Assert.Equal("ClockSync:Feishu:AppSecret", failure.SecretName);
        Assert.Contains("ClockSync:KeyVault:VaultUri", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ClockSync__Feishu__AppSecret", failure.Message, StringComparison.Ordinal);
    }

    private ServiceProvider VaultServices(RecordingTokenCredential credential, params (string Key, string? Value)[] settings) =>
        VaultServices(credential, timeProvider: null, settings);

    private ServiceProvider VaultServices(RecordingTokenCredential credential, TimeProvider? timeProvider, params (string Key, string? Value)[] settings)
    {
        var collection = new ServiceCollection();
        if (timeProvider is not null)
        {
            collection.AddSingleton(timeProvider);
        }

        var configuration = Configuration([("ClockSync:KeyVault:VaultUri", _vault.VaultUri.ToString()), .. settings]);
        collection.AddClockSyncSecrets(configuration, credential, _vault.CreateClientOptions());
        return collection.BuildServiceProvider(validateScopes: true);
    }

    private static ServiceProvider Services(ServiceCollection collection, params (string Key, string? Value)[] settings)
    {
        collection.AddClockSyncSecrets(Configuration(settings));
        return collection.BuildServiceProvider(validateScopes: true);
    }

    internal static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
