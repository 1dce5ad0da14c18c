using System.Net;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §2: an unknown user fails as a partial success (<c>msg</c> list) or as a whole-request 1220004.</summary>
public sealed class UnknownUserTests
{
    [Theory]
    [InlineData(true, ", ", "[x1-x1, x2-x2]")]
    [InlineData(true, ",", "[x1-x1,x2-x2]")]
    [InlineData(false, ", ", "x1-x1, x2-x2")]
    [InlineData(false, ",", "x1-x1,x2-x2")]
    public async Task Partial_success_lists_the_failed_pairs_in_the_configured_style(bool brackets, string separator, string expectedMsg)
    {
        await using var sandbox = await StartAsync(s => s with
        {
            Behaviour = s.Behaviour with { PartialFailureMsgBrackets = brackets, PartialFailureMsgSeparator = separator },
        });
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(
            token, Records(Flow("u7", idempotentId: "a"), Flow("x1", idempotentId: "b"), Flow("u18", idempotentId: "c"), Flow("x2", idempotentId: "d")));
        var json = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(json));
        Assert.Equal(expectedMsg, Msg(json));
        Assert.Equal(["u7", "u18"], sandbox.Server.Ledger.Snapshot().Select(f => f.UserId));
    }

    [Fact]
    public async Task Partial_success_echoes_only_the_accepted_records_by_default()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7"), Flow("x1")));
        var echoed = (await BodyAsync(response))["data"]!["flow_records"]!.AsArray();

        Assert.Equal(["u7"], echoed.Select(e => e!["user_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Partial_success_can_echo_every_record()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { PartialFailureEcho = PartialFailureEcho.AllRecords } });
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7"), Flow("x1")));
        var echoed = (await BodyAsync(response))["data"]!["flow_records"]!.AsArray();

        Assert.Equal(["u7", "x1"], echoed.Select(e => e!["user_id"]!.GetValue<string>()));
        Assert.NotNull(echoed[0]!["record_id"]);
        Assert.Null(echoed[1]!["record_id"]);
        Assert.Equal(1, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task An_unknown_creator_fails_the_record_too()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var flow = Flow("u7");
        flow["creator_id"] = "admin-x";

        using var response = await sandbox.BatchCreateAsync(token, Records(flow));

        Assert.Equal("[u7-admin-x]", Msg(await BodyAsync(response)));
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Whole_request_mode_answers_1220004_with_http_400_and_stores_nothing()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 } });
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7"), Flow("x1"), Flow("u18")));
        var json = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1220004, Code(json));
        Assert.Contains("user_id is not exist", Msg(json), StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Whole_request_mode_accepts_a_batch_of_known_users()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 } });
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7"), Flow("u18")));

        Assert.Equal(0, Code(await BodyAsync(response)));
        Assert.Equal(2, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Users_are_known_per_employee_type()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var byNo = await sandbox.BatchCreateAsync(token, Records(Flow("7"), Flow("u7")), "employee_no");

        Assert.Equal("[u7-u7]", Msg(await BodyAsync(byNo)));
        Assert.Equal("employee_no", sandbox.Server.Ledger.Snapshot().Single().EmployeeType);
    }

    [Fact]
    public async Task Users_can_be_added_and_removed_while_running()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        sandbox.Server.Tenant.AddUsers(EmployeeTypes.EmployeeId, "new-hire");
        sandbox.Server.Tenant.RemoveUsers(EmployeeTypes.EmployeeId, "u7");
        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("new-hire"), Flow("u7")));

        Assert.Equal("[u7-u7]", Msg(await BodyAsync(response)));
    }

    [Fact]
    public async Task Without_known_users_every_user_is_accepted()
    {
        await using var sandbox = await StartAsync(s => s with { KnownUsers = null });
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("anyone"), Flow("someone-else")));

        Assert.Equal("success", Msg(await BodyAsync(response)));
        Assert.True(sandbox.Server.Tenant.AcceptsAnyUser);
        Assert.Equal(2, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task The_mode_can_be_switched_at_run_time()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var partial = await sandbox.BatchCreateAsync(token, Records(Flow("x1")));
        sandbox.Server.Tenant.Behaviour = sandbox.Server.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        using var whole = await sandbox.BatchCreateAsync(token, Records(Flow("x1")));

        Assert.Equal(0, Code(await BodyAsync(partial)));
        Assert.Equal(1220004, Code(await BodyAsync(whole)));
    }

    internal static JsonArray Echoed(JsonObject body) => body["data"]!["flow_records"]!.AsArray();
}
