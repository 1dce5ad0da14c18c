using System.Text.Json.Serialization;

namespace ClockSync.Feishu;

/// <summary>The token request body. A class, not a record: a record would print the secret.</summary>
internal sealed class TokenRequest(string appId, string appSecret)
{
    [JsonPropertyName("app_id")]
    public string AppId { get; } = appId;

    [JsonPropertyName("app_secret")]
    public string AppSecret { get; } = appSecret;

    public override string ToString() => $"token request for {AppId}";
}

/// <summary>The <c>batch_create</c> body.</summary>
internal sealed record BatchCreateRequest([property: JsonPropertyName("flow_records")] IReadOnlyList<UserFlowWire> FlowRecords);

/// <summary>A <c>user_flow</c> as sent; nulls are omitted.</summary>
internal sealed record UserFlowWire(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("creator_id")] string CreatorId,
    [property: JsonPropertyName("location_name")] string LocationName,
    [property: JsonPropertyName("check_time")] string CheckTime,
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("external_id")] string? ExternalId,
    [property: JsonPropertyName("idempotent_id")] string IdempotentId,
    [property: JsonPropertyName("type")] int? Type,
    [property: JsonPropertyName("is_field")] bool IsField,
    [property: JsonPropertyName("is_wifi")] bool IsWifi,
    [property: JsonPropertyName("ssid")] string? Ssid,
    [property: JsonPropertyName("bssid")] string? Bssid);

/// <summary>The <c>user_flows/query</c> body.</summary>
internal sealed record QueryRequest(
    [property: JsonPropertyName("user_ids")] IReadOnlyList<string> UserIds,
    [property: JsonPropertyName("check_time_from")] string CheckTimeFrom,
    [property: JsonPropertyName("check_time_to")] string CheckTimeTo);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(BatchCreateRequest))]
[JsonSerializable(typeof(QueryRequest))]
internal sealed partial class FeishuJsonContext : JsonSerializerContext;
