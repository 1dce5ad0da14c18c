using Microsoft.Extensions.Options;

namespace ClockSync.Secrets;

/// <summary>The Feishu app id and secret from two Key Vault secrets (names from <see cref="KeyVaultOptions"/>).</summary>
public sealed class KeyVaultFeishuAppCredentialsProvider : IFeishuAppCredentialsProvider
{
    private readonly KeyVaultSecretProvider _secrets;
    private readonly KeyVaultOptions _options;

    public KeyVaultFeishuAppCredentialsProvider(KeyVaultSecretProvider secrets, IOptions<KeyVaultOptions> options)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(options);
        _secrets = secrets;
        _options = options.Value;
    }

    public async ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        // Both are re-read on a forced refresh: a rotation may move to another app, not only to a new secret.
        var appId = _secrets.GetSecretAsync(_options.AppIdSecretName, forceRefresh, cancellationToken).AsTask();
        var appSecret = _secrets.GetSecretAsync(_options.AppSecretSecretName, forceRefresh, cancellationToken).AsTask();
        await Task.WhenAll(appId, appSecret);

        // Trimmed because 'az keyvault secret set --file' keeps a trailing newline, and Feishu ids and secrets never
        // contain whitespace: a stray newline would otherwise look like a wrong secret.
        var secret = (await appSecret).Reveal();
        return new FeishuAppCredentials(
            (await appId).Reveal().Trim(),
            secret.Trim().Length == secret.Length ? await appSecret : new SecretText(secret.Trim()));
    }
}
