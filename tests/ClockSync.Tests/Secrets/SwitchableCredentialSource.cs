using ClockSync.Secrets;

namespace ClockSync.Tests.Secrets;

/// <summary>
/// Stands in for the Key Vault provider: serves one secret until a forced refresh, which then serves the "rotated"
/// one. Feishu itself is always the sandbox.
/// </summary>
internal sealed class SwitchableCredentialSource(string appId, string cachedSecret, string freshSecret) : IFeishuAppCredentialsProvider
{
    private int _forcedRefreshes;
    private volatile string _current = cachedSecret;

    public int ForcedRefreshes => Volatile.Read(ref _forcedRefreshes);

    public ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (forceRefresh)
        {
            Interlocked.Increment(ref _forcedRefreshes);
            _current = freshSecret;
        }

        return ValueTask.FromResult(new FeishuAppCredentials(appId, new SecretText(_current)));
    }
}
