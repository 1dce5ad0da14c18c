using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>
/// A sandbox on a fake clock plus a raw <see cref="HttpClient"/>: the tests speak the wire format themselves so they
/// check the sandbox against the contract, not against the ClockSync client.
/// </summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    public const string AppId = "cli_test";
    public const string AppSecret = "test-secret-5f1d";
    public const string TokenPath = "open-apis/auth/v3/tenant_access_token/internal";
    public const string BatchCreatePath = "open-apis/attendance/v1/user_flows/batch_create";
    public const string QueryPath = "open-apis/attendance/v1/user_flows/query";

    /// <summary>2025-03-01T08:00:00+08:00, a valid punch time.</summary>
    public const long ValidCheckTime = 1740787200;

    private SandboxHarness(FakeTimeProvider time, FeishuSandboxServer server)
    {
        Time = time;
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public FakeTimeProvider Time { get; }

    public FeishuSandboxServer Server { get; }

    public HttpClient Http { get; }

    /// <summary>Test timeouts only guard against a hang; they never synchronise anything.</summary>
    public static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    public static async Task<SandboxHarness> StartAsync(Func<SandboxSettings, SandboxSettings>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var settings = new SandboxSettings
        {
            Apps = new Dictionary<string, string>(StringComparer.Ordinal) { [AppId] = AppSecret },
            KnownUsers = SandboxUsers.Of(["u7", "u18", "A1034"], ["7", "18"]),
            TimeProvider = time,
        };
        settings = configure?.Invoke(settings) ?? settings;
        return new SandboxHarness(time, await FeishuSandboxServer.StartAsync(settings));
    }

    public static JsonObject Flow(string user, long checkTime = ValidCheckTime, string? idempotentId = null, string? externalId = null)
    {
        var flow = new JsonObject
        {
            ["user_id"] = user,
            ["creator_id"] = user,
            ["location_name"] = "Gate 3",
            ["check_time"] = checkTime.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["comment"] = "考勤机 3 上班",
        };
        if (idempotentId is not null)
        {
            flow["idempotent_id"] = idempotentId;
        }

        if (externalId is not null)
        {
            flow["external_id"] = externalId;
        }

        return flow;
    }

    public static JsonObject Records(params JsonObject[] flows) => new() { ["flow_records"] = new JsonArray([.. flows]) };

    public async Task<HttpResponseMessage> RequestTokenAsync(string appId = AppId, string appSecret = AppSecret) =>
        await PostAsync(TokenPath, new JsonObject { ["app_id"] = appId, ["app_secret"] = appSecret }, token: null);

    public async Task<string> TokenAsync(string appId = AppId, string appSecret = AppSecret)
    {
        using var response = await RequestTokenAsync(appId, appSecret);
        var body = await BodyAsync(response);
        return body["tenant_access_token"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> BatchCreateAsync(string? token, JsonObject body, string? employeeType = "employee_id") =>
        PostAsync(BatchCreatePath + (employeeType is null ? "" : "?employee_type=" + employeeType), body, token);

    public Task<HttpResponseMessage> QueryAsync(string? token, JsonObject body, string employeeType = "employee_id") =>
        PostAsync(QueryPath + "?employee_type=" + employeeType, body, token);

    public async Task<HttpResponseMessage> PostAsync(
        string path, JsonNode body, string? token, string contentType = "application/json; charset=utf-8", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, cancellationToken == default ? Guard : cancellationToken);
    }

    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)
        ?? throw new InvalidOperationException("The response body is not a JSON object.");

    public static int Code(JsonObject body) => body["code"]!.GetValue<int>();

    public static string Msg(JsonObject body) => body["msg"]!.GetValue<string>();

    public static string LogIdHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Tt-Logid", out var values) ? values.Single() : "";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
