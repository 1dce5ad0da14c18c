using System.Net;
using System.Text.Json.Nodes;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §2 and §5: <c>batch_create</c> validation answers 400 + 1220001 and stores nothing.</summary>
public sealed class BatchCreateValidationTests
{
    public static TheoryData<string, Func<JsonObject>> InvalidBodies => new()
    {
        { "no flow_records", () => new JsonObject() },
        { "flow_records not an array", () => new JsonObject { ["flow_records"] = "u7" } },
        { "empty flow_records", () => Records() },
        { "51 records", () => Records([.. Enumerable.Range(0, 51).Select(i => Flow("u7", ValidCheckTime + i))]) },
        { "missing user_id", () => Without("user_id") },
        { "missing creator_id", () => Without("creator_id") },
        { "missing location_name", () => Without("location_name") },
        { "missing check_time", () => Without("check_time") },
        { "missing comment", () => Without("comment") },
        { "empty user_id", () => With("user_id", "") },
        { "numeric user_id", () => With("user_id", 7) },
        { "check_time as a number", () => With("check_time", ValidCheckTime) },
        { "non-numeric check_time", () => With("check_time", "2025-03-01 08:00:00") },
        { "negative check_time", () => With("check_time", "-1740787200") },
        { "check_time in milliseconds", () => With("check_time", "1740787200000") },
        { "check_time before 2022", () => With("check_time", "1640966399") },
        { "type out of range", () => With("type", 9) },
        { "type as a string", () => With("type", "7") },
        { "is_field as a string", () => With("is_field", "false") },
        { "idempotent_id as a number", () => With("idempotent_id", 12) },
        { "record not an object", () => new JsonObject { ["flow_records"] = new JsonArray("u7") } },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_answer_1220001_with_http_400_and_store_nothing(string reason, Func<JsonObject> body)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        // A good record first: an invalid batch must not store any of it.
        var request = body();
        if (request["flow_records"] is JsonArray { Count: > 0 and < 50 } records && records[0] is JsonObject)
        {
            records.Insert(0, Flow("u18", idempotentId: "good"));
        }

        using var response = await sandbox.BatchCreateAsync(token, request);
        var json = await BodyAsync(response);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, reason);
        Assert.Equal(1220001, Code(json));
        Assert.StartsWith("param is invalid", Msg(json), StringComparison.Ordinal);
        Assert.Equal(LogIdHeader(response), json["error"]!["log_id"]!.GetValue<string>());
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("user_id")]
    [InlineData("open_id")]
    [InlineData("")]
    public async Task A_missing_or_invalid_employee_type_answers_1220001(string? employeeType)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")), employeeType);
        var json = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1220001, Code(json));
        Assert.Contains("employee_type invalid", Msg(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_answers_1220001()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.PostAsync(BatchCreatePath + "?employee_type=employee_id", JsonValue.Create("flow_records")!, token);

        Assert.Equal(1220001, Code(await BodyAsync(response)));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=gbk")]
    public async Task A_content_type_other_than_json_answers_1220001(string contentType)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.PostAsync(
            BatchCreatePath + "?employee_type=employee_id", Records(Flow("u7")), token, contentType);

        Assert.Equal(1220001, Code(await BodyAsync(response)));
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Fifty_records_with_every_field_are_accepted_and_echoed_with_record_ids()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var flows = Enumerable.Range(0, 50).Select(i =>
        {
            var flow = Flow("u7", ValidCheckTime + i, idempotentId: $"fp-{i}", externalId: $"ext-{i}");
            flow["type"] = 7;
            flow["is_field"] = false;
            flow["is_wifi"] = false;
            return flow;
        }).ToArray();

        using var response = await sandbox.BatchCreateAsync(token, Records(flows));
        var json = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(json));
        Assert.Equal("success", Msg(json));
        var echoed = json["data"]!["flow_records"]!.AsArray();
        Assert.Equal(50, echoed.Count);
        Assert.All(echoed, e => Assert.False(string.IsNullOrEmpty(e!["record_id"]!.GetValue<string>())));
        Assert.Equal("ext-49", echoed[49]!["external_id"]!.GetValue<string>());

        var ledger = sandbox.Server.Ledger.Snapshot();
        Assert.Equal(50, ledger.Count);
        Assert.Equal(ValidCheckTime + 3, ledger[3].CheckTimeSeconds);
        Assert.Equal(7, ledger[3].Type);
        Assert.Equal("employee_id", ledger[3].EmployeeType);
        Assert.Equal(SandboxHarness.AppId, ledger[3].AppId);
        Assert.Equal(LogIdHeader(response), ledger[3].LogId);
    }

    [Fact]
    public async Task The_earliest_importable_second_is_accepted()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        // 2022-01-01T00:00:00+08:00: the lenient reading of "after 2022-01-01".
        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7", 1640966400)));

        Assert.Equal(0, Code(await BodyAsync(response)));
    }

    private static JsonObject Without(string field)
    {
        var flow = Flow("u7");
        flow.Remove(field);
        return Records(flow);
    }

    private static JsonObject With(string field, JsonNode value)
    {
        var flow = Flow("u7");
        flow[field] = value;
        return Records(flow);
    }
}
