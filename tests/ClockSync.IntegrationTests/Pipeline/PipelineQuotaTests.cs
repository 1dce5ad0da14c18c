using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Cli;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Storage.Failures;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// The monthly quota (Feishu's 429 + 99991403) and the app's own call budget: posting pauses app-wide, batches stay
/// pending (never parked, no attempt counted), nothing more is sent while paused, and after the pause every punch lands
/// once.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineQuotaTests(AzuriteFixture azurite)
{
    private const int Punches = 400;
    private const string QuotaExhausted = "ClockSync.QuotaExhausted";
    private const string CallBudgetWarning = "ClockSync.CallBudgetWarning";

    [Fact]
    public async Task Quota_exhaustion_pauses_all_posting_keeps_batches_pending_and_resume_posts_each_punch_once()
    {
        using var metrics = new MetricCounter(QuotaExhausted, CallBudgetWarning);
        await using var harness = await PipelineHarness.StartAsync(azurite, new SandboxSettings { MonthlyQuota = 3 });
        await harness.UploadAndIngestAsync("quota.dat", PipelineHarness.AttLog(PipelineHarness.Punches(Punches)));

        await harness.DrainQueueAsync();

        // Three batches landed, the fourth was refused with 99991403, the other four were never sent.
        Assert.Equal(4, BatchCreateCalls(harness));
        Assert.Equal(3 * 50, harness.LedgerIds().Count);
        var pauseEnd = FeishuQuotaMonth.NextStart(harness.Time.GetUtcNow());
        var rows = await harness.FailedRowsAsync();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(FailedBatchEntity.Pending, row.State);
            Assert.Equal(0, row.AttemptCount);
            Assert.Equal(pauseEnd, row.NextDueUtc);
            Assert.Equal(FeishuCodes.MonthlyQuotaExhausted, row.LastErrorCode);
        });
        Assert.Equal(1, metrics[QuotaExhausted]);

        // The retry timer sends nothing while paused, however late it is in the month.
        harness.Time.Advance(TimeSpan.FromHours(3));
        var paused = await harness.Retry.HandleAsync(CancellationToken.None);
        Assert.Equal(0, paused.Claimed);
        Assert.Equal(4, BatchCreateCalls(harness));
        var status = await OperatorCli.RunAsync(harness, "status");
        Assert.Contains("POSTING PAUSED", status.Out, StringComparison.Ordinal);

        // The tenant is upgraded; the operator resumes.
        harness.Sandbox.MonthlyQuota.Set(null);
        var resumed = await OperatorCli.RunAsync(harness, "feishu", "resume");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("5 pending batches are due now", resumed.Out, StringComparison.Ordinal);
        await harness.RetryUntilSettledAsync();

        Assert.Equal(Punches, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(4 + 5, BatchCreateCalls(harness));
        Assert.Equal(1, metrics[QuotaExhausted]);
    }

    [Fact]
    public async Task A_used_up_budget_stops_calls_before_they_are_made_warns_once_and_a_raised_budget_resumes()
    {
        using var metrics = new MetricCounter(QuotaExhausted, CallBudgetWarning);
        await using var harness = await PipelineHarness.StartAsync(
            azurite, settings: new Dictionary<string, string?> { ["ClockSync:Feishu:MonthlyCallBudget"] = "3" });
        await harness.UploadAndIngestAsync("budget.dat", PipelineHarness.AttLog(PipelineHarness.Punches(Punches)));

        await harness.DrainQueueAsync();

        // Exactly the budget reached Feishu; the rest wait, pending, for the pause to end.
        Assert.Equal(3, BatchCreateCalls(harness));
        Assert.Equal(3 * 50, harness.LedgerIds().Count);
        var rows = await harness.FailedRowsAsync();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(FailedBatchEntity.Pending, row.State);
            Assert.Equal(0, row.AttemptCount);
            Assert.Contains("budget", row.LastErrorMessage, StringComparison.Ordinal);
        });
        Assert.Equal(1, metrics[CallBudgetWarning]);
        Assert.Equal(1, metrics[QuotaExhausted]);

        var stillPaused = await harness.RetryUntilSettledAsync();
        Assert.All(stillPaused, run => Assert.Equal(0, run.Claimed));
        Assert.Equal(3, BatchCreateCalls(harness));

        // Raising the budget ends the pause by itself: the next retry run makes the held batches due and posts them.
        harness.Configuration["ClockSync:Feishu:MonthlyCallBudget"] = "100";
        harness.Configuration.Reload();
        await harness.RetryUntilSettledAsync();

        Assert.Equal(Punches, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(3 + 5, BatchCreateCalls(harness));
        Assert.Equal(1, metrics[CallBudgetWarning]);
    }

    private static int BatchCreateCalls(PipelineHarness harness) =>
        harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate);
}
