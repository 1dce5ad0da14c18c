using ClockSync.Feishu;
using ClockSync.Storage.KeyVault;

namespace ClockSync.Pipeline;

/// <summary>
/// Feeds the Feishu client from <see cref="IFeishuAppCredentialsProvider"/> (Key Vault when configured, configuration
/// otherwise), passing the client's forced refresh through so a rotated secret is read after an auth failure.
/// </summary>
public sealed class AppCredentialsFeishuSource(IFeishuAppCredentialsProvider provider) : IFeishuCredentialSource
{
    public async ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var current = await provider.GetAsync(forceRefresh, cancellationToken).ConfigureAwait(false);
        return new FeishuAppCredentials(current.AppId, new FeishuAppSecret(current.AppSecret.Reveal()));
    }
}
