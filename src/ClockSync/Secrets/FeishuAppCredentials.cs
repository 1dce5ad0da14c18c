namespace ClockSync.Secrets;

/// <summary>
/// A custom app's id (not secret) and secret. Printing it shows the id only: the secret is a <see cref="SecretText"/>.
/// </summary>
public sealed record FeishuAppCredentials
{
    public FeishuAppCredentials(string appId, SecretText secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentNullException.ThrowIfNull(secret);
        AppId = appId;
        Secret = secret;
    }

    public string AppId { get; }

    public SecretText Secret { get; }
}
