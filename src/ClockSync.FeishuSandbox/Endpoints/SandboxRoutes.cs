using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>Maps the Open API paths and the sandbox's own inspection paths under <c>/_sandbox</c>.</summary>
internal static class SandboxRoutes
{
    /// <summary>Shape of the inspection JSON: camelCase, enums as names.</summary>
    public static JsonSerializerOptions InspectionJson { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        var dispatcher = new SandboxDispatcher(runtime);
        app.MapPost(TokenEndpoint.Path, http => dispatcher.HandleAsync(http, SandboxEndpoints.Token));
        app.MapPost(BatchCreateEndpoint.Path, http => dispatcher.HandleAsync(http, SandboxEndpoints.BatchCreate));
        app.MapPost(QueryEndpoint.Path, http => dispatcher.HandleAsync(http, SandboxEndpoints.Query));
        app.MapPost(MessagesEndpoint.Path, http => dispatcher.HandleAsync(http, SandboxEndpoints.Messages));

        app.MapGet("/_sandbox/ledger", () => Results.Json(runtime.Ledger.Snapshot(), InspectionJson));
        app.MapGet("/_sandbox/messages", () => Results.Json(runtime.Messages.Snapshot(), InspectionJson));
        app.MapGet("/_sandbox/requests", () => Results.Json(runtime.Requests.Snapshot(), InspectionJson));
        app.MapPost("/_sandbox/reset", () =>
        {
            runtime.Reset();
            return Results.NoContent();
        });
        app.MapPost("/_sandbox/revoke-tokens", () =>
        {
            runtime.Tenant.RevokeTokens();
            return Results.NoContent();
        });

        app.MapGet("/_sandbox/faults", () => Results.Json(new System.Text.Json.Nodes.JsonArray(
            [.. runtime.Faults.Rules.Select(rule => (System.Text.Json.Nodes.JsonNode)FaultScriptRequest.Describe(rule))])));
        app.MapPost("/_sandbox/faults", async (HttpContext http) =>
        {
            var (rule, error) = FaultScriptRequest.Schedule(runtime.Faults, await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted));
            return rule is null
                ? Results.BadRequest(new { error })
                : Results.Json(FaultScriptRequest.Describe(rule), statusCode: StatusCodes.Status201Created);
        });
        app.MapDelete("/_sandbox/faults", () =>
        {
            runtime.Faults.Clear();
            return Results.NoContent();
        });

        // Anything else is logged and answered 404 with a log id, so a client calling a wrong path shows up.
        app.MapFallback(http => dispatcher.HandleAsync(http, SandboxEndpoints.None));
    }
}
