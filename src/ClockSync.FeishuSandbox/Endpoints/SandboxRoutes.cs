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

        app.MapGet("/_sandbox/ledger", () => Results.Json(runtime.Ledger.Snapshot(), InspectionJson));
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
    }
}
