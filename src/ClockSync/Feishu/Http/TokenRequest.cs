using System.Text.Json.Serialization;

namespace ClockSync.Feishu.Http;

/// <summary>The token request body. A class, not a record: a record would print the secret.</summary>
internal sealed class TokenRequest(string appId, string appSecret)
{
    [JsonPropertyName("app_id")]
    public string AppId { get; } = appId;

    [JsonPropertyName("app_secret")]
    public string AppSecret { get; } = appSecret;

    public override string ToString() => $"token request for {AppId}";
}
