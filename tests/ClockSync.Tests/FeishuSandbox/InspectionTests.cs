using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §5: the ledger and the request log are readable in process and over HTTP, and hold no secrets.</summary>
public sealed class InspectionTests
{
    [Fact]
    public async Task The_ledger_is_readable_over_http()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using var posted = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1", externalId: "ext-1")));

        var ledger = JsonNode.Parse(await sandbox.Http.GetStringAsync("_sandbox/ledger", Guard))!.AsArray();

        var flow = ledger.Single()!;
        Assert.Equal("u7", flow["userId"]!.GetValue<string>());
        Assert.Equal("fp-1", flow["idempotentId"]!.GetValue<string>());
        Assert.Equal("ext-1", flow["externalId"]!.GetValue<string>());
        Assert.Equal(sandbox.Server.Ledger.Snapshot().Single().RecordId, flow["recordId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_log_records_each_call_in_process_and_over_http()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using var partial = await sandbox.BatchCreateAsync(token, Records(Flow("u7"), Flow("x1")));
        using var invalid = await sandbox.BatchCreateAsync(token, Records(Flow("u7")), "bogus");

        var log = sandbox.Server.Requests.Snapshot();
        var overHttp = JsonNode.Parse(await sandbox.Http.GetStringAsync("_sandbox/requests", Guard))!.AsArray();

        Assert.Equal([SandboxEndpoints.Token, SandboxEndpoints.BatchCreate, SandboxEndpoints.BatchCreate], log.Select(r => r.Endpoint));
        Assert.Equal([1L, 2L, 3L], log.Select(r => r.Sequence));
        Assert.Equal((200, 0, 2, 1), (log[1].Status, log[1].Code, log[1].RecordCount, log[1].AcceptedCount));
        Assert.Equal(LogIdHeader(partial), log[1].LogId);
        Assert.Equal(SandboxHarness.AppId, log[1].AppId);
        Assert.Equal("?employee_type=employee_id", log[1].Query);
        Assert.Equal((400, 1220001), (log[2].Status, log[2].Code));
        Assert.Equal(sandbox.Time.GetUtcNow(), log[2].Time);
        Assert.Equal(3, overHttp.Count);
        Assert.Equal("BatchCreate", overHttp[2]!["endpoint"]!.GetValue<string>());
        Assert.Equal(1220001, overHttp[2]!["code"]!.GetValue<int>());
        Assert.Equal("Answered", overHttp[2]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_secret_or_token_appears_in_the_request_log()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using var wrongSecret = await sandbox.RequestTokenAsync(SandboxHarness.AppId, "leaked-wrong-secret");
        using var posted = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        using var expired = await sandbox.BatchCreateAsync("t-someone-elses-token", Records(Flow("u7")));

        // A client that puts credentials in the URL by mistake must not get them logged either.
        using var inUrl = await sandbox.PostAsync(
            BatchCreatePath + "?employee_type=employee_id&app_secret=" + AppSecret + "&access_token=" + token, Records(Flow("u7")), token);

        var overHttp = await sandbox.Http.GetStringAsync("_sandbox/requests", Guard);
        var inProcess = JsonSerializer.Serialize(sandbox.Server.Requests.Snapshot());
        foreach (var text in new[] { overHttp, inProcess })
        {
            Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("leaked-wrong-secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token["t-".Length..], text, StringComparison.Ordinal);
            Assert.DoesNotContain("someone-elses-token", text, StringComparison.Ordinal);
        }

        Assert.Contains("app_secret=***", overHttp, StringComparison.Ordinal);
        Assert.Equal(5, sandbox.Server.Requests.Count);
    }

    [Fact]
    public async Task Reset_over_http_clears_ledger_log_faults_and_buckets_but_keeps_tokens()
    {
        await using var sandbox = await StartAsync(s => s with { RateLimit = new SandboxRateLimit(RequestsPerSecond: 1) });
        var token = await sandbox.TokenAsync();
        using var posted = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        sandbox.Server.Faults.NextCalls(3, SandboxFault.ServerError());

        using var reset = await sandbox.Http.PostAsync("_sandbox/reset", content: null, Guard);
        using var afterReset = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        Assert.Equal("fp-1", sandbox.Server.Ledger.Snapshot().Single().IdempotentId);
        Assert.Equal(1, sandbox.Server.Requests.Count);
        Assert.Empty(sandbox.Server.Faults.Rules);
    }

    [Fact]
    public async Task Tokens_can_be_revoked_over_http()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var revoke = await sandbox.Http.PostAsync("_sandbox/revoke-tokens", content: null, Guard);
        using var rejected = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(99991663, Code(await BodyAsync(rejected)));
    }

    [Fact]
    public async Task Waiting_for_a_count_completes_when_the_log_reaches_it()
    {
        await using var sandbox = await StartAsync();

        var waiting = sandbox.Server.Requests.WaitForCountAsync(2, Guard);
        var beforeAny = waiting.IsCompleted;
        await sandbox.TokenAsync();
        await sandbox.TokenAsync();
        await waiting;

        Assert.False(beforeAny);
        Assert.True(sandbox.Server.Requests.WaitForCountAsync(1).IsCompleted);
    }

    [Fact]
    public async Task The_base_address_is_loopback_with_a_trailing_slash()
    {
        await using var sandbox = await StartAsync();

        Assert.Equal("127.0.0.1", sandbox.Server.BaseAddress.Host);
        Assert.NotEqual(0, sandbox.Server.BaseAddress.Port);
        Assert.EndsWith("/", sandbox.Server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }
}
