using System.Globalization;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox.Wire;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary><c>POST /open-apis/attendance/v1/user_flows/query</c> over the ledger (docs/feishu-contract.md §3).</summary>
internal sealed class QueryEndpoint(SandboxRuntime runtime, ApiGate gate)
{
    public const string Path = "/open-apis/attendance/v1/user_flows/query";

    /// <summary>Contract §3: at most 50 user ids per call.</summary>
    public const int MaxUsers = 50;

    public async Task<SandboxReply> HandleAsync(SandboxExchange exchange)
    {
        var behaviour = runtime.Tenant.Behaviour;
        if (gate.Check(exchange, behaviour.ReadScopeGranted) is { } refused)
        {
            return refused;
        }

        var request = exchange.Http.Request;
        var employeeType = request.Query["employee_type"].ToString();
        var terminated = request.Query["include_terminated_user"].ToString();
        if (terminated.Length > 0 && terminated is not ("true" or "false"))
        {
            return Invalid(exchange, behaviour, "include_terminated_user must be true or false");
        }

        var body = await JsonBody.ReadObjectAsync(request, exchange.Aborted);
        if (body?["user_ids"] is not JsonArray userIdNodes)
        {
            return Invalid(exchange, behaviour, "user_ids is required and must be an array");
        }

        exchange.RecordCount = userIdNodes.Count;
        var userIds = userIdNodes.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null).ToList();
        if (userIds.Count == 0 || userIds.Count > MaxUsers || userIds.Any(u => u is null))
        {
            return Invalid(exchange, behaviour, $"user_ids must hold 1 to {MaxUsers} non-empty strings");
        }

        if (!TryReadSeconds(body, "check_time_from", out var from) || !TryReadSeconds(body, "check_time_to", out var to))
        {
            return Invalid(exchange, behaviour, "check_time_from and check_time_to are required as Unix seconds strings");
        }

        if (from > to)
        {
            return Invalid(exchange, behaviour, "check_time_from must not be after check_time_to");
        }

        var unknown = userIds.FirstOrDefault(u => !runtime.Tenant.IsKnownUser(employeeType, u!));
        if (unknown is not null)
        {
            // Contract §3: 1227500 from the shift service, e.g. user not found.
            return SandboxReply.Error(behaviour, 400, FeishuCodes.ShiftServiceError, "shift service error: user not found", exchange.LogId);
        }

        var wanted = new HashSet<string>(userIds!, StringComparer.Ordinal);
        var results = new JsonArray();
        foreach (var flow in runtime.Ledger.Snapshot()
                     .Where(f => f.EmployeeType == employeeType && wanted.Contains(f.UserId)
                                 && f.CheckTimeSeconds >= from && f.CheckTimeSeconds <= to)
                     .OrderBy(f => f.CheckTimeSeconds)
                     .ThenBy(f => f.RecordId, StringComparer.Ordinal))
        {
            results.Add(FlowJson.Write(flow, includeRecordId: true));
        }

        return SandboxReply.Success("success", new JsonObject { ["user_flow_results"] = results });
    }

    private static SandboxReply Invalid(SandboxExchange exchange, SandboxBehaviour behaviour, string detail) =>
        SandboxReply.Error(behaviour, 400, FeishuCodes.ParameterInvalid, "param is invalid: " + detail, exchange.LogId);

    private static bool TryReadSeconds(JsonObject body, string name, out long seconds)
    {
        seconds = 0;
        return JsonBody.String(body, name) is { Length: > 0 and <= 10 } text
            && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);
    }
}
