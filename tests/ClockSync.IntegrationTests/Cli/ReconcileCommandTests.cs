using System.Text.Json;
using ClockSync.Cli;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.Pipeline;

namespace ClockSync.IntegrationTests.Cli;

[Collection(AzuriteGroup.Name)]
public sealed class ReconcileCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task After_a_clean_run_nothing_is_missing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        // 120 punches of 7 users over two local days: at least one query call per day.
        var punches = PipelineHarness.Punches(60).Concat(PipelineHarness.Punches(60).Select(p => (p.User, p.Time.AddDays(1)))).ToArray();
        await harness.UploadAndIngestAsync("clean.dat", PipelineHarness.AttLog(punches));
        await harness.DrainQueueAsync();

        var human = await OperatorCli.RunAsync(harness, "reconcile", "clean.dat");
        var json = await OperatorCli.RunAsync(harness, "reconcile", "clean.dat", "--json");

        Assert.Equal(ExitCodes.Ok, human.ExitCode);
        Assert.Contains("missing       0", human.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        var result = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal((120, 120, 7, 2, 0), (result.GetProperty("ownedPunches").GetInt32(), result.GetProperty("checked").GetInt32(),
            result.GetProperty("users").GetInt32(), result.GetProperty("queryCalls").GetInt32(), result.GetProperty("missing").GetArrayLength()));
        // Two runs (human and --json) of two calls each reached the sandbox.
        Assert.Equal(4, harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.Query));
    }

    [Fact]
    public async Task A_punch_deleted_in_Feishu_is_reported_missing_with_exit_code_8()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("gap.dat", PipelineHarness.AttLog(PipelineHarness.Punches(30)));
        await harness.DrainQueueAsync();
        var deleted = harness.Sandbox.Ledger.Snapshot()[4];
        Assert.True(harness.Sandbox.Ledger.Remove(deleted.IdempotentId!));

        var human = await OperatorCli.RunAsync(harness, "reconcile", "gap.dat");
        var json = await OperatorCli.RunAsync(harness, "reconcile", "gap.dat", "--json");

        Assert.Equal(ExitCodes.Discrepancy, human.ExitCode);
        Assert.Contains("Accepted here but missing in Feishu:", human.Out, StringComparison.Ordinal);
        Assert.Contains(deleted.IdempotentId!, human.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Discrepancy, json.ExitCode);
        var missing = Assert.Single(JsonDocument.Parse(json.Out).RootElement.GetProperty("missing").EnumerateArray());
        Assert.Equal((deleted.UserId, deleted.CheckTimeSeconds, 5L),
            (missing.GetProperty("userId").GetString(), missing.GetProperty("checkTime").GetInt64(), missing.GetProperty("line").GetInt64()));
    }

    [Fact]
    public async Task Held_punches_of_an_unknown_user_are_not_expected_in_Feishu()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        harness.Sandbox.Tenant.AddUsers("employee_id", "1", "2", "3", "4", "5", "6");
        await harness.UploadAndIngestAsync("parked.dat", PipelineHarness.AttLog(PipelineHarness.Punches(14, users: 7)));
        await harness.DrainQueueAsync();

        var json = await OperatorCli.RunAsync(harness, "reconcile", "parked.dat", "--json");

        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        var result = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal((14, 12, 0, 2, 0), (result.GetProperty("ownedPunches").GetInt32(), result.GetProperty("checked").GetInt32(),
            result.GetProperty("parked").GetInt32(), result.GetProperty("held").GetInt32(), result.GetProperty("missing").GetArrayLength()));
    }

    [Fact]
    public async Task An_unknown_file_is_not_found_and_missing_Feishu_settings_are_named()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);

        var unknown = await OperatorCli.RunAsync(harness, "reconcile", "never.dat");
        var noSecret = await OperatorCli.RunAsync(harness.Settings.Without("ClockSync:Feishu:AppSecret"), harness.Time, "reconcile", "never.dat");

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("no import of 'never.dat'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Configuration, noSecret.ExitCode);
        Assert.Contains("ClockSync:Feishu:AppSecret is not set: set the environment variable ClockSync__Feishu__AppSecret", noSecret.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxSettings.DefaultAppSecret, unknown.Out + unknown.Error + noSecret.Out + noSecret.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_base_url_without_AllowAnyBaseUrl_is_refused_before_any_call()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);

        var refused = await OperatorCli.RunAsync(harness.Settings.Without("ClockSync:Feishu:AllowAnyBaseUrl"), harness.Time, "reconcile", "never.dat");

        Assert.Equal(ExitCodes.Configuration, refused.ExitCode);
        Assert.Contains("invalid setting: ClockSync__Feishu__BaseUrl must be https://open.feishu.cn", refused.Error, StringComparison.Ordinal);
        Assert.Contains("ClockSync__Feishu__AllowAnyBaseUrl=true", refused.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Sandbox.Requests.Snapshot());
        Assert.DoesNotContain(SandboxSettings.DefaultAppSecret, refused.Out + refused.Error, StringComparison.Ordinal);
    }
}
