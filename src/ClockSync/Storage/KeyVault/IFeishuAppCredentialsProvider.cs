namespace ClockSync.Storage.KeyVault;

/// <summary>Supplies the Feishu app id and secret to the Feishu client.</summary>
public interface IFeishuAppCredentialsProvider
{
    /// <summary>
    /// Returns the current credentials. Pass <paramref name="forceRefresh"/> = true after Feishu rejected them
    /// (app secret invalid), so a secret rotated in the vault is picked up without a restart.
    /// </summary>
    /// <exception cref="SecretUnavailableException">The credentials cannot be read; the message says why and what to do.</exception>
    ValueTask<FeishuAppIdAndSecret> GetAsync(bool forceRefresh, CancellationToken cancellationToken);
}
