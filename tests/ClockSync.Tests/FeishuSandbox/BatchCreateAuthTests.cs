using System.Net;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §2 platform-wide codes: bearer token and scope checks on the attendance calls.</summary>
public sealed class BatchCreateAuthTests
{
    [Fact]
    public async Task A_missing_token_answers_99991661()
    {
        await using var sandbox = await StartAsync();

        using var response = await sandbox.BatchCreateAsync(token: null, Records(Flow("u7")));
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991661, Code(body));
        Assert.Equal(LogIdHeader(response), body["error"]!["log_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_the_sandbox_never_issued_answers_99991663()
    {
        await using var sandbox = await StartAsync();

        using var response = await sandbox.BatchCreateAsync("t-forged", Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991663, Code(await BodyAsync(response)));
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Auth_errors_can_be_played_with_http_401()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { AuthErrorHttpStatus = 401 } });

        using var missing = await sandbox.BatchCreateAsync(token: null, Records(Flow("u7")));
        using var invalid = await sandbox.QueryAsync("t-forged", new() { ["user_ids"] = new System.Text.Json.Nodes.JsonArray("u7") });

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(99991661, Code(await BodyAsync(missing)));
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal(99991663, Code(await BodyAsync(invalid)));
    }

    [Fact]
    public async Task Without_the_write_scope_batch_create_answers_99991672_and_records_nothing()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { WriteScopeGranted = false } });
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(99991672, Code(await BodyAsync(response)));
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Without_the_read_scope_query_answers_99991672()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Tenant.Behaviour = sandbox.Server.Tenant.Behaviour with { ReadScopeGranted = false };

        using var response = await sandbox.QueryAsync(token, QueryTests.Body(["u7"], 0, ValidCheckTime));

        Assert.Equal(99991672, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task Every_response_carries_a_distinct_log_id_header()
    {
        await using var sandbox = await StartAsync();

        using var token = await sandbox.RequestTokenAsync();
        using var failed = await sandbox.BatchCreateAsync(token: null, Records(Flow("u7")));
        using var unknownPath = await sandbox.PostAsync("open-apis/attendance/v1/nothing", Records(), token: null);

        string[] ids = [LogIdHeader(token), LogIdHeader(failed), LogIdHeader(unknownPath)];
        Assert.All(ids, id => Assert.NotEmpty(id));
        Assert.Equal(3, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
    }
}
