using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary><c>/_sandbox/faults</c>: the fault script driven from outside the process (dry runs, demos).</summary>
public sealed class FaultScriptOverHttpTests
{
    [Fact]
    public async Task A_fault_scheduled_over_http_fires_and_is_listed()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var scheduled = await sandbox.Http.PostAsJsonAsync(
            "_sandbox/faults", new JsonObject { ["kind"] = "GatewayHtml", ["endpoints"] = "BatchCreate, Query", ["next"] = 1 }, Guard);
        using var query = await sandbox.QueryAsync(token, QueryTests.Body(["u7"], 1, 2));
        var listed = JsonNode.Parse(await sandbox.Http.GetStringAsync("_sandbox/faults", Guard))!.AsArray().Single()!;

        Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, query.StatusCode);
        Assert.Equal("GatewayHtml", listed["kind"]!.GetValue<string>());
        Assert.Equal(1, listed["fired"]!.GetValue<int>());
        Assert.True(listed["exhausted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_error_fault_over_http_answers_the_given_code()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var scheduled = await sandbox.Http.PostAsJsonAsync(
            "_sandbox/faults", new JsonObject { ["kind"] = "Error", ["code"] = 1220005, ["httpStatus"] = 400, ["msg"] = "no permission", ["onCall"] = 2 }, Guard);
        using var first = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        using var second = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(0, Code(await BodyAsync(first)));
        Assert.Equal(1220005, Code(await BodyAsync(second)));
    }

    [Theory]
    [InlineData("""{"kind":"Meteor","next":1}""")]
    [InlineData("""{"kind":"ServerError"}""")]
    [InlineData("""{"kind":"ServerError","next":1,"probability":0.5}""")]
    [InlineData("""{"kind":"ServerError","next":0}""")]
    [InlineData("""{"kind":"ServerError","probability":2}""")]
    [InlineData("""{"kind":"Slow","next":1}""")]
    [InlineData("""{"kind":"ServerError","next":1,"endpoints":"Nowhere"}""")]
    public async Task Nonsense_is_refused_with_400_and_schedules_nothing(string json)
    {
        await using var sandbox = await StartAsync();

        using var response = await sandbox.PostAsync("_sandbox/faults", JsonNode.Parse(json)!, token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(sandbox.Server.Faults.Rules);
    }

    [Fact]
    public async Task Delete_clears_the_script()
    {
        await using var sandbox = await StartAsync();
        sandbox.Server.Faults.NextCalls(3, SandboxFault.DropConnection());

        using var deleted = await sandbox.Http.DeleteAsync("_sandbox/faults", Guard);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(sandbox.Server.Faults.Rules);
    }
}
