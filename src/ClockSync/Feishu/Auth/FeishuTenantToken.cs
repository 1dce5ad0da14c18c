namespace ClockSync.Feishu.Auth;

/// <summary>
/// A cached tenant access token. A class with its own <see cref="ToString"/> so the token never reaches a log.
/// </summary>
internal sealed class FeishuTenantToken(string appId, string value, DateTimeOffset expiresAt, DateTimeOffset refreshAt)
{
    public string AppId { get; } = appId;

    /// <summary>The bearer token; only ever put into an <c>Authorization</c> header.</summary>
    public string Value { get; } = value;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>From here on the cache fetches a new token before handing this one out.</summary>
    public DateTimeOffset RefreshAt { get; } = refreshAt;

    public override string ToString() => $"tenant token for {AppId} (expires {ExpiresAt:O})";
}
