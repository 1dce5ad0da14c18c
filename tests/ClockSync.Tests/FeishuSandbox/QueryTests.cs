using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §3: <c>query</c> reads the ledger back with record, external and idempotent ids.</summary>
public sealed class QueryTests
{
    public static JsonObject Body(IEnumerable<string> users, long from, long to) => new()
    {
        ["user_ids"] = new JsonArray([.. users.Select(u => (JsonNode)u)]),
        ["check_time_from"] = from.ToString(CultureInfo.InvariantCulture),
        ["check_time_to"] = to.ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Returns_the_users_flows_in_the_range_with_their_ids()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using var posted = await sandbox.BatchCreateAsync(token, Records(
            Flow("u7", ValidCheckTime + 60, "fp-b", "ext-b"),
            Flow("u7", ValidCheckTime, "fp-a", "ext-a"),
            Flow("u18", ValidCheckTime, "fp-c", "ext-c"),
            Flow("u7", ValidCheckTime + 86_400, "fp-d", "ext-d")));

        using var response = await sandbox.QueryAsync(token, Body(["u7"], ValidCheckTime, ValidCheckTime + 3600));
        var json = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(json));
        var results = json["data"]!["user_flow_results"]!.AsArray();
        Assert.Equal(["ext-a", "ext-b"], results.Select(r => r!["external_id"]!.GetValue<string>()));
        Assert.Equal(["fp-a", "fp-b"], results.Select(r => r!["idempotent_id"]!.GetValue<string>()));
        var ledger = sandbox.Server.Ledger.Snapshot();
        Assert.Equal(ledger.Single(f => f.IdempotentId == "fp-a").RecordId, results[0]!["record_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Both_range_ends_are_inclusive_and_other_employee_types_are_not_returned()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using var byId = await sandbox.BatchCreateAsync(token, Records(Flow("u7", ValidCheckTime, "fp-a")));
        sandbox.Server.Tenant.AddUsers("employee_no", "u7");
        using var byNo = await sandbox.BatchCreateAsync(token, Records(Flow("u7", ValidCheckTime + 10, "fp-b")), "employee_no");

        using var response = await sandbox.QueryAsync(token, Body(["u7"], ValidCheckTime, ValidCheckTime + 10));

        var results = (await BodyAsync(response))["data"]!["user_flow_results"]!.AsArray();
        Assert.Equal("fp-a", results.Single()!["idempotent_id"]!.GetValue<string>());
    }

    public static TheoryData<string, JsonObject> InvalidBodies => new()
    {
        { "51 users", Body(Enumerable.Range(0, 51).Select(i => "u7"), 1, 2) },
        { "no users", Body([], 1, 2) },
        { "missing from", new JsonObject { ["user_ids"] = new JsonArray("u7"), ["check_time_to"] = "2" } },
        { "non-numeric to", new JsonObject { ["user_ids"] = new JsonArray("u7"), ["check_time_from"] = "1", ["check_time_to"] = "today" } },
        { "numbers not strings", new JsonObject { ["user_ids"] = new JsonArray("u7"), ["check_time_from"] = 1, ["check_time_to"] = 2 } },
        { "from after to", Body(["u7"], 3, 2) },
        { "user id not a string", new JsonObject { ["user_ids"] = new JsonArray(7), ["check_time_from"] = "1", ["check_time_to"] = "2" } },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_queries_answer_1220001(string reason, JsonObject body)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.QueryAsync(token, (JsonObject)body.DeepClone());

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, reason);
        Assert.Equal(1220001, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task An_unknown_user_answers_1227500()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.QueryAsync(token, Body(["u7", "gone"], 1, 2));

        Assert.Equal(1227500, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task Include_terminated_user_is_accepted()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.PostAsync(
            QueryPath + "?employee_type=employee_id&include_terminated_user=true", Body(["u7"], 1, 2), token);

        Assert.Equal(0, Code(await BodyAsync(response)));
    }
}
