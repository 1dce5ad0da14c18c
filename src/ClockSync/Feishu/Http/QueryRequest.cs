using System.Text.Json.Serialization;

namespace ClockSync.Feishu.Http;

/// <summary>The <c>user_flows/query</c> body.</summary>
internal sealed record QueryRequest(
    [property: JsonPropertyName("user_ids")] IReadOnlyList<string> UserIds,
    [property: JsonPropertyName("check_time_from")] string CheckTimeFrom,
    [property: JsonPropertyName("check_time_to")] string CheckTimeTo);
