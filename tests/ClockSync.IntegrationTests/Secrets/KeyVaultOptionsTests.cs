using ClockSync.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.IntegrationTests.Secrets;

public sealed class KeyVaultOptionsTests
{
    [Fact]
    public void Only_the_vault_uri_is_needed_the_rest_has_defaults()
    {
        var options = Bind(("ClockSync:KeyVault:VaultUri", "https://clocksync-kv.vault.azure.net/"));

        Assert.Equal(new Uri("https://clocksync-kv.vault.azure.net/"), options.VaultUri);
        Assert.Equal("feishu-app-id", options.AppIdSecretName);
        Assert.Equal("feishu-app-secret", options.AppSecretSecretName);
        Assert.Equal(TimeSpan.FromMinutes(10), options.CacheTtl);
    }

    [Theory]
    [InlineData("ClockSync:KeyVault:VaultUri", "http://clocksync-kv.vault.azure.net/", "VaultUri must be an absolute https URI")]
    [InlineData("ClockSync:KeyVault:VaultUri", "clocksync-kv", "VaultUri must be an absolute https URI")]
    [InlineData("ClockSync:KeyVault:AppIdSecretName", "", "AppIdSecretName must not be empty")]
    [InlineData("ClockSync:KeyVault:AppSecretSecretName", " ", "AppSecretSecretName must not be empty")]
    [InlineData("ClockSync:KeyVault:CacheTtl", "00:00:00", "CacheTtl must be positive")]
    [InlineData("ClockSync:KeyVault:CacheTtl", "-00:05:00", "CacheTtl must be positive")]
    public void Invalid_settings_are_refused_with_the_setting_named(string key, string value, string expected)
    {
        var settings = key.EndsWith("VaultUri", StringComparison.Ordinal)
            ? new[] { (key, (string?)value) }
            : [("ClockSync:KeyVault:VaultUri", "https://clocksync-kv.vault.azure.net/"), (key, value)];

        var failure = Assert.Throws<OptionsValidationException>(() => Bind(settings));

        Assert.Contains($"ClockSync:KeyVault:{expected}", failure.Message, StringComparison.Ordinal);
    }

    private static KeyVaultOptions Bind(params (string Key, string? Value)[] settings)
    {
        var collection = new ServiceCollection();
        collection.AddClockSyncSecrets(FeishuAppCredentialsTests.Configuration(settings));
        using var services = collection.BuildServiceProvider();
        return services.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
    }
}
