using Microsoft.Extensions.Configuration;

namespace ClockSync.Secrets;

/// <summary>
/// The Feishu app id and secret from configuration (<c>ClockSync:Feishu:AppId</c> / <c>ClockSync:Feishu:AppSecret</c>),
/// used when no vault is configured — local runs and the sandbox. Values are read on every call, so a reloaded
/// configuration source is picked up like a rotated vault secret.
/// </summary>
public sealed class ConfigurationFeishuAppCredentialsProvider : IFeishuAppCredentialsProvider
{
    public const string AppIdKey = "ClockSync:Feishu:AppId";
    public const string AppSecretKey = "ClockSync:Feishu:AppSecret";

    private readonly IConfiguration _configuration;

    public ConfigurationFeishuAppCredentialsProvider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
    }

    public ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var appId = Required(AppIdKey);
        var appSecret = Required(AppSecretKey);
        return ValueTask.FromResult(new FeishuAppCredentials(appId.Trim(), new SecretText(appSecret)));
    }

    private string Required(string key)
    {
        var value = _configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SecretUnavailableException(
                vaultUri: null,
                secretName: key,
                SecretUnavailableReason.NotConfigured,
                isTransient: false,
                $"'{key}' is not set and no Key Vault is configured. Set {KeyVaultOptions.SectionName}:VaultUri to read " +
                $"the Feishu credentials from Key Vault, or set '{key.Replace(":", "__", StringComparison.Ordinal)}' " +
                "for a local run.");
        }

        return value;
    }
}
