using System.Text.Json.Nodes;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>
/// <c>POST /_sandbox/faults</c>: schedules a fault from JSON, for dry runs and demos driven from outside the process.
/// Shape: <c>{"kind": "ServerError", "endpoints": "BatchCreate", "next": 3}</c> with exactly one of <c>next</c>,
/// <c>onCall</c> or <c>probability</c> (+ optional <c>maxFires</c>); <c>delaySeconds</c> for Slow and Throttle;
/// <c>httpStatus</c>, <c>code</c>, <c>msg</c> for Error and GatewayHtml.
/// </summary>
internal static class FaultScriptRequest
{
    public static (SandboxFaultRule? Rule, string? Error) Schedule(SandboxFaults faults, JsonObject? body)
    {
        if (body is null)
        {
            return (null, "body must be a JSON object");
        }

        var fault = BuildFault(body);
        if (fault is null)
        {
            return (null, "kind must be one of ServerError, Error, GatewayHtml, Slow, DropConnection, RevokeTokens, Throttle, "
                          + "RecordThenDropConnection, RecordThenServerError (with the fields that kind needs)");
        }

        var endpointsText = JsonBody.String(body, "endpoints") ?? nameof(SandboxEndpoints.BatchCreate);
        if (!Enum.TryParse<SandboxEndpoints>(endpointsText, ignoreCase: true, out var endpoints) || endpoints == SandboxEndpoints.None)
        {
            return (null, "endpoints must name Token, BatchCreate, Query, Messages (comma separated) or All");
        }

        var next = Int(body, "next");
        var onCall = Int(body, "onCall");
        var probability = Double(body, "probability");
        try
        {
            return (next, onCall, probability) switch
            {
                ({ } count, null, null) => (faults.NextCalls(count, fault, endpoints), null),
                (null, { } call, null) => (faults.OnCall(call, fault, endpoints), null),
                (null, null, { } p) => (faults.WithProbability(p, fault, endpoints, Int(body, "maxFires")), null),
                _ => (null, "give exactly one of next, onCall or probability"),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return (null, "next and onCall must be positive; probability must be between 0 and 1");
        }
    }

    public static JsonObject Describe(SandboxFaultRule rule) => new()
    {
        ["kind"] = rule.Fault.Kind.ToString(),
        ["endpoints"] = rule.Endpoints.ToString(),
        ["seen"] = rule.Seen,
        ["fired"] = rule.Fired,
        ["exhausted"] = rule.IsExhausted,
    };

    private static SandboxFault? BuildFault(JsonObject body)
    {
        var delay = Double(body, "delaySeconds") is { } seconds && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var status = Int(body, "httpStatus");
        return JsonBody.String(body, "kind") switch
        {
            "ServerError" => SandboxFault.ServerError(status ?? 500),
            "Error" when Int(body, "code") is { } code && status is { } httpStatus =>
                SandboxFault.Error(code, httpStatus, JsonBody.String(body, "msg") ?? "scripted error"),
            "GatewayHtml" => SandboxFault.GatewayHtml(status ?? 502),
            "Slow" when delay is { } slow => SandboxFault.Slow(slow),
            "DropConnection" => SandboxFault.DropConnection(),
            "RevokeTokens" => SandboxFault.RevokeTokens(),
            "Throttle" => SandboxFault.Throttle(delay),
            "RecordThenDropConnection" => SandboxFault.RecordThenDropConnection(),
            "RecordThenServerError" => SandboxFault.RecordThenServerError(),
            _ => null,
        };
    }

    private static int? Int(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static double? Double(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
