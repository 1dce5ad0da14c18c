using System.Text.Json.Nodes;

namespace ClockSync.FeishuSandbox.Wire;

/// <summary>Writes a stored flow as a <c>user_flow</c> object (docs/feishu-contract.md §2, §3).</summary>
internal static class FlowJson
{
    public static JsonObject Write(SandboxFlowRecord flow, bool includeRecordId)
    {
        var json = new JsonObject
        {
            ["user_id"] = flow.UserId,
            ["creator_id"] = flow.CreatorId,
            ["location_name"] = flow.LocationName,
            ["check_time"] = flow.CheckTime,
            ["comment"] = flow.Comment,
        };
        if (includeRecordId)
        {
            json["record_id"] = flow.RecordId;
        }

        AddIfPresent(json, "external_id", flow.ExternalId);
        AddIfPresent(json, "idempotent_id", flow.IdempotentId);
        AddIfPresent(json, "ssid", flow.Ssid);
        AddIfPresent(json, "bssid", flow.Bssid);
        if (flow.Type is { } type)
        {
            json["type"] = type;
        }

        if (flow.IsField is { } isField)
        {
            json["is_field"] = isField;
        }

        if (flow.IsWifi is { } isWifi)
        {
            json["is_wifi"] = isWifi;
        }

        return json;
    }

    private static void AddIfPresent(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}
