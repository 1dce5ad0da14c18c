using System.Text.Json;

namespace ClockSync.Feishu.Flows;

/// <summary>Lenient reads of user_flow fields, shared by the batch_create echo and the query answer.</summary>
internal static class FeishuJson
{
    /// <summary>
    /// A field as text: strings as they are, numbers as written (check_time and type are strings on the wire, but a
    /// number is accepted too), anything else or a missing field as null.
    /// </summary>
    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
