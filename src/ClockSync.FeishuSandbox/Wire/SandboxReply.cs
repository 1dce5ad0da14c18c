using System.Text.Json.Nodes;

namespace ClockSync.FeishuSandbox.Wire;

/// <summary>A response the sandbox will write: built first, logged, then written, so the request log never lags
/// behind what a client has already received.</summary>
internal sealed record SandboxReply(int Status, string Body, string ContentType, int? Code)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public static SandboxReply Json(int status, JsonObject body)
    {
        var code = body["code"]?.GetValue<int>();
        return new SandboxReply(status, body.ToJsonString(), "application/json; charset=utf-8", code);
    }

    /// <summary>
    /// An error envelope (contract "Envelope"): <c>code</c>, <c>msg</c> and <c>error.log_id</c>, with the documented
    /// status or 200 as the behaviour says.
    /// </summary>
    public static SandboxReply Error(SandboxBehaviour behaviour, int documentedStatus, int code, string msg, string logId)
    {
        var body = new JsonObject
        {
            ["code"] = code,
            ["msg"] = msg,
            ["error"] = new JsonObject { ["log_id"] = logId },
        };
        var status = behaviour.ErrorStatus == ErrorStatusStyle.AlwaysHttp200 ? 200 : documentedStatus;
        return Json(status, body);
    }

    /// <summary>A success envelope with <c>data</c>.</summary>
    public static SandboxReply Success(string msg, JsonObject data) =>
        Json(200, new JsonObject { ["code"] = FeishuCodes.Ok, ["msg"] = msg, ["data"] = data });

    /// <summary>A gateway error page: not JSON, so the client must treat it as transient.</summary>
    public static SandboxReply GatewayHtml(int status) => new(
        status,
        $"<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        "text/html",
        null);
}
