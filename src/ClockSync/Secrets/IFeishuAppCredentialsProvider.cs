namespace ClockSync.Secrets;

/// <summary>
/// Where the Feishu app id and secret come from: Key Vault when one is configured, configuration otherwise (see
/// <c>AddClockSyncSecrets</c>). The Feishu client's tenant token cache is the one caller.
/// </summary>
public interface IFeishuAppCredentialsProvider
{
    /// <summary>
    /// Returns the current credentials. Pass <paramref name="forceRefresh"/> = true after Feishu rejected them
    /// (app secret invalid), so a secret rotated in the vault is picked up without a restart.
    /// </summary>
    /// <exception cref="SecretUnavailableException">The credentials cannot be read; the message says why and what to do.</exception>
    ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken);
}
