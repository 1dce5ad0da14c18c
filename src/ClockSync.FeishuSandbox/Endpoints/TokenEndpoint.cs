using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox.Wire;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary><c>POST /open-apis/auth/v3/tenant_access_token/internal</c> (docs/feishu-contract.md §1).</summary>
internal sealed class TokenEndpoint(SandboxRuntime runtime)
{
    public const string Path = "/open-apis/auth/v3/tenant_access_token/internal";

    public async Task<SandboxReply> HandleAsync(SandboxExchange exchange)
    {
        var behaviour = runtime.Tenant.Behaviour;
        var body = ApiGate.IsJson(exchange.Http.Request.ContentType)
            ? await JsonBody.ReadObjectAsync(exchange.Http.Request, exchange.Aborted)
            : null;
        var appId = body is null ? null : JsonBody.String(body, "app_id");
        var appSecret = body is null ? null : JsonBody.String(body, "app_secret");
        if (string.IsNullOrEmpty(appId) || string.IsNullOrEmpty(appSecret))
        {
            return SandboxReply.Error(behaviour, 400, FeishuCodes.InvalidParam, "invalid param: app_id and app_secret are required", exchange.LogId);
        }

        exchange.AppId = appId;
        switch (runtime.Tenant.CheckCredentials(appId, appSecret))
        {
            case CredentialCheck.UnknownApp:
                return SandboxReply.Error(behaviour, 400, FeishuCodes.InvalidParam, "invalid param: app_id not found", exchange.LogId);
            case CredentialCheck.WrongSecret:
                return SandboxReply.Error(behaviour, 400, FeishuCodes.AppSecretInvalid, "app secret invalid", exchange.LogId);
        }

        var (token, expiresIn) = runtime.Tenant.IssueToken(appId);

        // Contract §1: top-level fields, no data wrapper; expire = whole seconds left.
        return SandboxReply.Json(200, new JsonObject
        {
            ["code"] = FeishuCodes.Ok,
            ["msg"] = "ok",
            ["tenant_access_token"] = token,
            ["expire"] = (long)Math.Floor(expiresIn.TotalSeconds),
        });
    }
}
