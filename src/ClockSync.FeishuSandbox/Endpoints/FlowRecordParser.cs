using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>
/// Validates one <c>user_flow</c> as sent (docs/feishu-contract.md §2 field table) and turns it into a ledger draft. The sandbox is
/// stricter than it needs to be about types, so a client that sends a number where a string belongs fails here and
/// not in production.
/// </summary>
internal static class FlowRecordParser
{
    private static readonly string[] RequiredStrings = ["user_id", "creator_id", "location_name", "check_time", "comment"];
    private static readonly string[] OptionalStrings = ["external_id", "idempotent_id", "ssid", "bssid"];

    /// <summary>The draft, or the reason the record is invalid (naming the record and the field).</summary>
    public static (SandboxFlowRecord? Draft, string? Error) Parse(
        JsonNode? node, int index, string appId, string employeeType, SandboxBehaviour behaviour, DateTimeOffset now, string logId)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"flow_records[{index}]");
        if (node is not JsonObject json)
        {
            return (null, $"{where} must be an object");
        }

        foreach (var name in RequiredStrings)
        {
            if (!IsString(json[name], out var text))
            {
                return (null, $"{where}.{name} is required and must be a string");
            }

            // comment is required but may be empty; the other required fields identify the punch and may not.
            if (text.Length == 0 && name != "comment")
            {
                return (null, $"{where}.{name} must not be empty");
            }
        }

        foreach (var name in OptionalStrings)
        {
            if (json[name] is { } value && !IsString(value, out _))
            {
                return (null, $"{where}.{name} must be a string");
            }
        }

        var checkTime = JsonBody.String(json, "check_time")!;
        if (ParseCheckTime(checkTime, behaviour) is { } checkTimeError)
        {
            return (null, $"{where}.check_time {checkTimeError}");
        }

        int? type = null;
        if (json["type"] is { } typeNode)
        {
            if (typeNode.GetValueKind() != JsonValueKind.Number || !typeNode.AsValue().TryGetValue<int>(out var typeValue)
                || typeValue is < 0 or > 7)
            {
                return (null, $"{where}.type must be an integer from 0 to 7");
            }

            type = typeValue;
        }

        if (!OptionalBool(json, "is_field", out var isField) || !OptionalBool(json, "is_wifi", out var isWifi))
        {
            return (null, $"{where}.is_field and is_wifi must be booleans");
        }

        var draft = new SandboxFlowRecord
        {
            RecordId = "",
            AppId = appId,
            EmployeeType = employeeType,
            UserId = JsonBody.String(json, "user_id")!,
            CreatorId = JsonBody.String(json, "creator_id")!,
            LocationName = JsonBody.String(json, "location_name")!,
            CheckTime = checkTime,
            CheckTimeSeconds = long.Parse(checkTime, NumberStyles.None, CultureInfo.InvariantCulture),
            Comment = JsonBody.String(json, "comment")!,
            ExternalId = JsonBody.String(json, "external_id"),

            // An empty key cannot identify anything; treat it as absent (no idempotent handling), as Feishu would.
            IdempotentId = JsonBody.String(json, "idempotent_id") is { Length: > 0 } key ? key : null,
            Ssid = JsonBody.String(json, "ssid"),
            Bssid = JsonBody.String(json, "bssid"),
            Type = type,
            IsField = isField,
            IsWifi = isWifi,
            AcceptedAt = now,
            LogId = logId,
        };
        return (draft, null);
    }

    /// <summary>Unix seconds as a decimal string, after the earliest importable time (docs/feishu-contract.md §2).</summary>
    public static string? ParseCheckTime(string checkTime, SandboxBehaviour behaviour)
    {
        if (checkTime.Length == 0 || !checkTime.All(char.IsAsciiDigit))
        {
            return "must be Unix seconds as a decimal string";
        }

        // Ten digits cover Unix seconds until the year 2286; more means milliseconds were sent.
        if (checkTime.Length > 10)
        {
            return "must be Unix seconds, not milliseconds";
        }

        var seconds = long.Parse(checkTime, NumberStyles.None, CultureInfo.InvariantCulture);
        return seconds < behaviour.EarliestCheckTime.ToUnixTimeSeconds()
            ? "is before 2022-01-01: only punches after 2022-01-01 can be imported"
            : null;
    }

    private static bool IsString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = "";
        return false;
    }

    private static bool OptionalBool(JsonObject json, string name, out bool? value)
    {
        value = null;
        switch (json[name]?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return true;
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                value = false;
                return true;
            default:
                return false;
        }
    }
}
