using System.Text.Json.Serialization;

namespace ClockSync.Feishu.Http;

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
