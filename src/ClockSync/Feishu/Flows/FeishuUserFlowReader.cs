using System.Globalization;
using System.Text.Json;

namespace ClockSync.Feishu.Flows;

/// <summary>Reads <c>data.user_flow_results</c> of a query answer, leniently (strings or numbers).</summary>
internal static class FeishuUserFlowReader
{
    public static List<FeishuUserFlow> Read(JsonElement? body)
    {
        var flows = new List<FeishuUserFlow>();
        if (body is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("user_flow_results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            return flows;
        }

        foreach (var item in results.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || FeishuJson.Text(item, "user_id") is not { } userId
                || !long.TryParse(FeishuJson.Text(item, "check_time"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var checkTime))
            {
                continue;
            }

            flows.Add(new FeishuUserFlow(
                userId,
                FeishuJson.Text(item, "creator_id"),
                FeishuJson.Text(item, "location_name"),
                checkTime,
                FeishuJson.Text(item, "comment"),
                FeishuJson.Text(item, "record_id"),
                FeishuJson.Text(item, "external_id"),
                FeishuJson.Text(item, "idempotent_id"),
                int.TryParse(FeishuJson.Text(item, "type"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var type) ? (FeishuFlowType)type : null,
                Flag(item, "is_field"),
                Flag(item, "is_wifi")));
        }

        return flows;
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
