using System.Text;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Notify;
using ClockSync.Pipeline;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

[Collection(AzuriteGroup.Name)]
public sealed class PipelineEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_export_lands_in_Feishu_once_and_the_report_accounts_for_every_line()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var content = PipelineHarness.AttLog(PipelineHarness.Punches(120)) + "   bad\tnot-a-date\t1\t0\t1\t0\r\n" + PipelineHarness.AttLog(PipelineHarness.Punches(1));

        var result = await harness.UploadAndIngestAsync("day1.dat", content);
        var delivered = await harness.DrainQueueAsync();

        Assert.Equal((3, false, false), (result.BatchesEnqueued, result.AlreadyIngested, result.NotAnExport));
        Assert.Equal(3, delivered);
        Assert.Equal(120, harness.LedgerIds().Count);
        var report = await harness.ReportAsync("day1.dat");
        Assert.Equal((ImportReport.Imported, 120L, 3), (report.Status, report.NewPunches, report.Batches));
        Assert.Equal((122L, 120L, 1L, 1L), (report.Summary!.Lines, report.Summary.Punches, report.Summary.Rejected, report.Summary.Duplicates));
        Assert.Equal(121, report.Summary.Rejections[0].Line);
        var totals = await harness.Imports.GetTotalsAsync(result.ImportId, CancellationToken.None);
        Assert.Equal((ImportState.Enqueued, 3, 120L, 3), (totals!.Import.State, totals.Posting.BatchesPosted, totals.Posting.PunchesPosted, totals.Import.BatchesEnqueued));
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task The_same_blob_version_twice_enqueues_nothing_new_and_a_cumulative_re_export_posts_only_the_new_punches()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var first = await harness.UploadAndIngestAsync("clock.dat", PipelineHarness.AttLog(PipelineHarness.Punches(60)));
        await harness.DrainQueueAsync();

        var again = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("clock.dat"), CancellationToken.None);
        var cumulative = await harness.UploadAndIngestAsync("clock.dat", PipelineHarness.AttLog(PipelineHarness.Punches(90)));
        await harness.DrainQueueAsync();

        Assert.Equal((true, 0), (again.AlreadyIngested, again.BatchesEnqueued));
        Assert.NotEqual(first.ImportId, cumulative.ImportId);
        Assert.Equal(1, cumulative.BatchesEnqueued);
        var report = await harness.ReportAsync("clock.dat");
        Assert.Equal((60L, 30L), (report.AlreadyImported, report.NewPunches));
        Assert.Equal(90, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_message_delivered_twice_is_posted_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("twice.dat", PipelineHarness.AttLog(PipelineHarness.Punches(10)));
        var message = (await harness.Queue.ReceiveMessageAsync()).Value;

        await harness.Post.HandleAsync(message.MessageText, 1, CancellationToken.None);
        var callsAfterFirst = harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate);
        await harness.Post.HandleAsync(message.MessageText, 2, CancellationToken.None);

        Assert.Equal(callsAfterFirst, harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate));
        Assert.Equal(10, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task Throttling_server_errors_and_timeouts_go_to_FailedBatches_and_the_retry_timer_posts_them()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("storm.dat", PipelineHarness.AttLog(PipelineHarness.Punches(250)));
        harness.Sandbox.Faults.NextCalls(2, SandboxFault.Throttle());
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.ServerError());
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Slow(TimeSpan.FromSeconds(5)));

        await harness.DrainQueueAsync();
        var pending = await harness.FailedRowsAsync();
        var runs = await harness.RetryUntilSettledAsync();

        Assert.NotEmpty(pending);
        Assert.All(pending, row => Assert.Equal((FailedBatchEntity.Pending, 1), (row.State, row.AttemptCount)));
        Assert.Contains(pending, row => row.LastErrorCode == 99991400);
        Assert.All(pending, row => Assert.False(string.IsNullOrWhiteSpace(row.LastErrorMessage)));
        Assert.Equal(pending.Count, runs.Sum(run => run.Posted));
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(250, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_response_lost_after_Feishu_recorded_the_batch_does_not_double_any_punch()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("lost.dat", PipelineHarness.AttLog(PipelineHarness.Punches(50)));
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.RecordThenDropConnection());

        await harness.DrainQueueAsync();
        var ledgerBeforeRetry = harness.LedgerIds().Count;
        var runs = await harness.RetryUntilSettledAsync();

        Assert.Equal(50, ledgerBeforeRetry);
        Assert.Equal(1, runs[0].Posted);
        Assert.Equal(50, harness.LedgerIds().Count);
        Assert.Equal(2, harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_revoked_token_mid_run_is_refreshed_and_nothing_is_lost()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("revoked.dat", PipelineHarness.AttLog(PipelineHarness.Punches(150)));
        var first = (await harness.Queue.ReceiveMessageAsync()).Value;
        await harness.Post.HandleAsync(first.MessageText, 1, CancellationToken.None);
        await harness.Queue.DeleteMessageAsync(first.MessageId, first.PopReceipt);
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.RevokeTokens());

        await harness.DrainQueueAsync();
        await harness.RetryUntilSettledAsync();

        Assert.Equal(150, harness.LedgerIds().Count);
        Assert.DoesNotContain(await harness.FailedRowsAsync(), row => row.State == FailedBatchEntity.Parked);
    }

    [Fact]
    public async Task Not_an_export_empty_and_only_rejected_files_get_reports_and_enqueue_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);

        var empty = await harness.UploadAndIngestAsync("empty.dat", []);
        var binary = await harness.UploadAndIngestAsync("photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1, 2, 3, 0, 0, 0xFF, 0xD9]);
        var rejected = await harness.UploadAndIngestAsync("old.dat", PipelineHarness.AttLog(("1", new DateTime(2020, 1, 1, 8, 0, 0)), ("2", new DateTime(2021, 5, 1, 8, 0, 0))));
        var again = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("empty.dat"), CancellationToken.None);

        Assert.True(empty.NotAnExport);
        Assert.True(binary.NotAnExport);
        Assert.True(again.AlreadyIngested);
        Assert.Equal(0, rejected.BatchesEnqueued);
        Assert.Equal(ImportReport.NotAnExport, (await harness.ReportAsync("empty.dat")).Status);
        Assert.Contains("0 bytes", (await harness.ReportAsync("empty.dat")).Reason, StringComparison.Ordinal);
        Assert.Equal(ImportReport.NotAnExport, (await harness.ReportAsync("photo.jpg")).Status);
        var report = await harness.ReportAsync("old.dat");
        Assert.Equal((2L, 2), (report.Summary!.Rejected, report.Summary.Rejections.Count));
        Assert.All(report.Summary.Rejections, rejection => Assert.False(string.IsNullOrWhiteSpace(rejection.Reason)));
        Assert.Equal(0, await harness.DrainQueueAsync());
        Assert.Empty(harness.LedgerIds());
    }

    [Fact]
    public async Task Batches_past_the_message_limit_travel_through_a_claim_check_blob()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?> { ["ClockSync:Storage:MaxInlineMessageBytes"] = "512" });
        await harness.UploadAndIngestAsync("big.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));

        var peeked = (await harness.Queue.PeekMessagesAsync(10)).Value;
        await harness.DrainQueueAsync();

        Assert.Equal(2, peeked.Length);
        Assert.All(peeked, message => Assert.Contains("claimCheck", message.MessageText, StringComparison.Ordinal));
        Assert.Equal(100, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task Two_retry_runs_racing_never_retry_the_same_row()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("race.dat", PipelineHarness.AttLog(PipelineHarness.Punches(400)));
        harness.Sandbox.Faults.NextCalls(8, SandboxFault.ServerError());
        await harness.DrainQueueAsync();
        harness.Time.Advance(TimeSpan.FromHours(2));
        var second = new RetryFailedBatchesHandler(
            harness.Services.GetRequiredService<ClockSync.Storage.PipelineStorage>(), harness.Failures,
            harness.Services.GetRequiredService<ClockSync.Storage.UnknownUsers.UnknownUserStore>(),
            harness.Services.GetRequiredService<HeldPunchReleaser>(), harness.Imports,
            harness.Services.GetRequiredService<BatchPoster>(), harness.Services.GetRequiredService<ClockSync.Pipeline.Failures.FailedBatchPolicy>(),
            harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClockSync.Storage.RetryOptions>>(),
            harness.Services.GetRequiredService<PipelineMetrics>(), harness.Time,
            harness.Services.GetRequiredService<ClockSync.Storage.CallCounts.TableFeishuCallCounter>(),
            harness.Services.GetRequiredService<ClockSync.Storage.Pause.PostingPause>(),
            harness.Services.GetRequiredService<ImportSettledNotifier>(),
            harness.Services.GetRequiredService<ClockSync.Notify.Notifier>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RetryFailedBatchesHandler>.Instance);

        var runs = await Task.WhenAll(harness.Retry.HandleAsync(CancellationToken.None), second.HandleAsync(CancellationToken.None));

        Assert.Equal(8, runs.Sum(run => run.Claimed));
        Assert.Equal(8, runs.Sum(run => run.Posted));
        Assert.Equal(8 + 8, harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate));
        Assert.Equal(400, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_is_rescheduled_with_growing_delays_then_parked()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("hopeless.dat", PipelineHarness.AttLog(PipelineHarness.Punches(5)));
        harness.Sandbox.Faults.NextCalls(100, SandboxFault.ServerError());

        await harness.DrainQueueAsync();
        var runs = await harness.RetryUntilSettledAsync();
        var rows = await harness.FailedRowsAsync();

        Assert.Equal([0, 0, 1], runs.Take(3).Select(run => run.Parked).ToArray());
        Assert.Equal(2, runs.Sum(run => run.Rescheduled));
        var row = Assert.Single(rows);
        Assert.Equal((FailedBatchEntity.Parked, 4, 5), (row.State, row.AttemptCount, row.RecordCount));
        Assert.Contains("gave up after 4 attempts", row.ParkReason, StringComparison.Ordinal);
        Assert.Empty(harness.LedgerIds());
    }
}
