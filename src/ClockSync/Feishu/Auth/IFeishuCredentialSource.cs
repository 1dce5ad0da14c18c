namespace ClockSync.Feishu;

/// <summary>Where the app id and secret come from (configuration now, Key Vault later).</summary>
public interface IFeishuCredentialSource
{
    /// <summary>
    /// The current credentials. <paramref name="forceRefresh"/> bypasses any cache: the token endpoint rejected
    /// the cached secret, which may have been rotated.
    /// </summary>
    ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken);
}
