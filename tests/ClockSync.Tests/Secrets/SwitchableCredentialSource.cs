using ClockSync.Secrets;

namespace ClockSync.Tests.Secrets;

/// <summary>
/// Stands in for the Key Vault provider: serves one secret until a forced refresh, which then serves the "rotated"
/// one. Feishu itself is always the sandbox.
/// </summary>
internal sealed class SwitchableCredentialSource(string appId, string cachedSecret, string freshSecret) : IFeishuAppCredentialsProvider
{
    private int forcedRefreshes;
    private volatile string current = cachedSecret;

    public int ForcedRefreshes => Volatile.Read(ref forcedRefreshes);

    public ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (forceRefresh)
        {
            Interlocked.Increment(ref forcedRefreshes);
            current = freshSecret;
        }

        return ValueTask.FromResult(new FeishuAppCredentials(appId, new SecretText(current)));
    }
}
