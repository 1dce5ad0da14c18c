using System.Net;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §5: scripted 5xx, gateway pages, slow responses, dropped connections, token revocation and lost
/// responses — for the next N calls, on a call count or with a seeded probability.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Server_errors_for_the_next_calls_then_normal_service()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var rule = sandbox.Server.Faults.NextCalls(2, SandboxFault.ServerError());

        using var first = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        using var second = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        using var third = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        var firstBody = await BodyAsync(first);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(1225000, Code(firstBody));
        Assert.Equal(LogIdHeader(first), firstBody["error"]!["log_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, rule.Fired);
        Assert.True(rule.IsExhausted);
        Assert.Equal(1, sandbox.Server.Ledger.Count);
        Assert.Equal(
            [SandboxFaultKind.ErrorResponse, SandboxFaultKind.ErrorResponse, null],
            sandbox.Server.Requests.Snapshot().Where(r => r.Endpoint == SandboxEndpoints.BatchCreate).Select(r => r.Fault));
    }

    [Theory]
    [InlineData(1220002, 400)]
    [InlineData(1220005, 400)]
    [InlineData(1226500, 500)]
    [InlineData(1220600, 400)]
    [InlineData(99991664, 401)]
    [InlineData(99991672, 403)]
    [InlineData(99991400, 400)]
    public async Task Any_error_row_of_the_contract_can_be_scripted(int code, int status)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.Error(code, status, "scripted"));

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        var body = await BodyAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, Code(body));
        Assert.Equal("scripted", Msg(body));
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task A_gateway_page_is_a_5xx_that_is_not_json()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.GatewayHtml(503));

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<html>", text, StringComparison.Ordinal);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(text));
        Assert.Null(sandbox.Server.Requests.Snapshot()[^1].Code);
    }

    [Fact]
    public async Task A_slow_response_completes_only_when_the_sandbox_clock_passes_the_delay()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var rule = sandbox.Server.Faults.NextCalls(1, SandboxFault.Slow(TimeSpan.FromSeconds(90)));

        var pending = sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        await rule.WaitUntilFiredAsync(Guard);
        sandbox.Time.Advance(TimeSpan.FromSeconds(89));
        var completedEarly = pending.IsCompleted;
        sandbox.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending;

        Assert.False(completedEarly);
        Assert.Equal(0, Code(await BodyAsync(response)));
        Assert.Equal(1, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task A_client_that_gives_up_on_a_slow_response_leaves_nothing_in_the_ledger()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var rule = sandbox.Server.Faults.NextCalls(1, SandboxFault.Slow(TimeSpan.FromMinutes(5)));
        using var clientTimeout = new CancellationTokenSource();

        var pending = sandbox.PostAsync(BatchCreatePath + "?employee_type=employee_id", Records(Flow("u7")), token, cancellationToken: clientTimeout.Token);
        await rule.WaitUntilFiredAsync(Guard);
        await clientTimeout.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await sandbox.Server.Requests.WaitForCountAsync(2, Guard);
        var logged = sandbox.Server.Requests.Snapshot()[^1];
        Assert.Equal(SandboxRequestOutcome.ClientAborted, logged.Outcome);
        Assert.Equal(0, logged.Status);
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Disposing_the_server_ends_a_pending_slow_response()
    {
        var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var rule = sandbox.Server.Faults.NextCalls(1, SandboxFault.Slow(TimeSpan.FromHours(1)));

        var pending = sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        await rule.WaitUntilFiredAsync(Guard);
        await sandbox.Server.DisposeAsync();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending);
        sandbox.Http.Dispose();
    }

    [Fact]
    public async Task A_dropped_connection_gives_the_client_no_response_and_stores_nothing()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.DropConnection());

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sandbox.BatchCreateAsync(token, Records(Flow("u7"))));

        var logged = sandbox.Server.Requests.Snapshot()[^1];
        Assert.Equal(SandboxRequestOutcome.Dropped, logged.Outcome);
        Assert.Equal(SandboxFaultKind.DropConnection, logged.Fault);
        Assert.Equal(0, sandbox.Server.Ledger.Count);
        using var afterwards = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        Assert.Equal(0, Code(await BodyAsync(afterwards)));
    }

    [Fact]
    public async Task A_response_lost_after_recording_is_healed_by_resending_with_the_same_key()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.RecordThenDropConnection());
        var batch = Records(Flow("u7", idempotentId: "fp-1"), Flow("u18", idempotentId: "fp-2"));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sandbox.BatchCreateAsync(token, (JsonObject)batch.DeepClone()));
        var afterLoss = sandbox.Server.Ledger.Count;
        using var resend = await sandbox.BatchCreateAsync(token, batch);

        Assert.Equal(2, afterLoss);
        Assert.Equal(0, Code(await BodyAsync(resend)));
        Assert.Equal(2, sandbox.Server.Ledger.Count);
        var lost = sandbox.Server.Requests.Snapshot().Single(r => r.Fault == SandboxFaultKind.RecordThenDropConnection);
        Assert.Equal((SandboxRequestOutcome.Dropped, 2), (lost.Outcome, lost.AcceptedCount));
    }

    [Fact]
    public async Task A_server_error_after_recording_still_leaves_the_flows_in_the_ledger()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.RecordThenServerError());

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1225000, Code(await BodyAsync(response)));
        Assert.Equal(1, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task A_revocation_fault_makes_the_call_fail_with_99991663_until_a_new_token_is_fetched()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.RevokeTokens());

        using var rejected = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        var fresh = await sandbox.TokenAsync();
        using var accepted = await sandbox.BatchCreateAsync(fresh, Records(Flow("u7")));

        Assert.Equal(99991663, Code(await BodyAsync(rejected)));
        Assert.NotEqual(token, fresh);
        Assert.Equal(0, Code(await BodyAsync(accepted)));
    }

    [Fact]
    public async Task A_throttle_fault_answers_429_with_the_scripted_reset()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.NextCalls(1, SandboxFault.Throttle(TimeSpan.FromSeconds(2.5)));

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(99991400, Code(await BodyAsync(response)));
        Assert.Equal("2.5", response.Headers.GetValues("x-ogw-ratelimit-reset").Single());
        Assert.Equal("50", response.Headers.GetValues("x-ogw-ratelimit-limit").Single());
    }

    [Fact]
    public async Task A_fault_on_a_call_count_fires_on_that_call_only()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.OnCall(3, SandboxFault.ServerError());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task A_fault_targets_only_its_endpoints()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var rule = sandbox.Server.Faults.NextCalls(1, SandboxFault.ServerError(), SandboxEndpoints.Token);

        using var batch = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        using var query = await sandbox.QueryAsync(token, QueryTests.Body(["u7"], 1, 2));
        using var tokenCall = await sandbox.RequestTokenAsync();

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(1225000, Code(await BodyAsync(tokenCall)));
        Assert.Equal(1, rule.Fired);
    }

    [Fact]
    public async Task Probabilistic_faults_repeat_for_the_same_seed()
    {
        var first = await ProbabilisticStatusesAsync(seed: 42);
        var second = await ProbabilisticStatusesAsync(seed: 42);

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.InternalServerError, first);
        Assert.Contains(HttpStatusCode.OK, first);
    }

    [Fact]
    public async Task A_probabilistic_fault_stops_after_its_maximum()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var rule = sandbox.Server.Faults.WithProbability(1.0, SandboxFault.ServerError(), maxFires: 2);

        for (var i = 0; i < 4; i++)
        {
            using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        }

        Assert.Equal(2, rule.Fired);
        Assert.Equal(2, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task A_cancelled_rule_no_longer_fires_and_clear_removes_all_rules()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var cancelled = sandbox.Server.Faults.NextCalls(5, SandboxFault.ServerError());
        sandbox.Server.Faults.NextCalls(5, SandboxFault.GatewayHtml());

        cancelled.Cancel();
        using var gateway = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        sandbox.Server.Faults.Clear();
        using var normal = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(HttpStatusCode.BadGateway, gateway.StatusCode);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        Assert.Empty(sandbox.Server.Faults.Rules);
    }

    [Fact]
    public async Task Scheduling_rejects_nonsense()
    {
        await using var sandbox = await StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => sandbox.Server.Faults.NextCalls(0, SandboxFault.ServerError()));
        Assert.Throws<ArgumentOutOfRangeException>(() => sandbox.Server.Faults.OnCall(0, SandboxFault.ServerError()));
        Assert.Throws<ArgumentOutOfRangeException>(() => sandbox.Server.Faults.WithProbability(1.5, SandboxFault.ServerError()));
    }

    private static async Task<List<HttpStatusCode>> ProbabilisticStatusesAsync(int seed)
    {
        await using var sandbox = await StartAsync(s => s with { RandomSeed = seed });
        var token = await sandbox.TokenAsync();
        sandbox.Server.Faults.WithProbability(0.5, SandboxFault.ServerError());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
