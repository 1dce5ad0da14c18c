namespace ClockSync.Feishu;

/// <summary>A custom app's id and secret. Printing it shows the id only.</summary>
public sealed record FeishuAppCredentials
{
    public FeishuAppCredentials(string appId, FeishuAppSecret secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentNullException.ThrowIfNull(secret);
        AppId = appId;
        Secret = secret;
    }

    public string AppId { get; }

    public FeishuAppSecret Secret { get; }
}
