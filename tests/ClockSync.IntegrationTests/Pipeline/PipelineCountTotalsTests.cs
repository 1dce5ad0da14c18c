using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ClockSync.Cli;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Cli;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// The import's posting totals (<see cref="ImportStore.GetTotalsAsync"/>) under concurrent posts, redeliveries, retries,
/// a retry run dying half-way, and operators parking and re-queuing.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineCountTotalsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Forty_batches_posted_by_twelve_concurrent_consumers_give_exact_totals()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var result = await harness.UploadAndIngestAsync("busy.dat", PipelineHarness.AttLog(PipelineHarness.Punches(40 * 50)));
        var messages = new ConcurrentQueue<QueueMessage>(await ReceiveAllAsync(harness.Queue));

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            while (messages.TryDequeue(out var message))
            {
                await harness.Post.HandleAsync(message.MessageText, message.DequeueCount, CancellationToken.None);
            }
        })));

        Assert.Equal(40, result.BatchesEnqueued);
        await AssertEveryBatchPostedOnceAsync(harness, result.ImportId, batches: 40);
    }

    [Fact]
    public async Task Every_message_delivered_twice_at_once_counts_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var result = await harness.UploadAndIngestAsync("twice.dat", PipelineHarness.AttLog(PipelineHarness.Punches(10 * 50)));
        var messages = await ReceiveAllAsync(harness.Queue);

        await Task.WhenAll(messages.Concat(messages).Select(message =>
            Task.Run(() => harness.Post.HandleAsync(message.MessageText, message.DequeueCount, CancellationToken.None))));
        foreach (var message in messages)
        {
            await harness.Post.HandleAsync(message.MessageText, message.DequeueCount + 1, CancellationToken.None);
        }

        await AssertEveryBatchPostedOnceAsync(harness, result.ImportId, batches: 10);
    }

    [Fact]
    public async Task Posting_a_batch_costs_two_Imports_requests_and_never_touches_the_import_row()
    {
        var tap = new TableRequestTap();
        await using var harness = await StartTappedAsync(tap);
        var result = await harness.UploadAndIngestAsync("cheap.dat", PipelineHarness.AttLog(PipelineHarness.Punches(6 * 50)));
        var importRow = await harness.Imports.GetAsync(result.ImportId, CancellationToken.None);
        tap.Clear();

        var delivered = await harness.DrainQueueAsync();

        // The marker check and the marker insert; the import's own row keeps the ETag ingest left it with.
        Assert.Equal(6, delivered);
        Assert.Equal(2 * delivered, tap.SentTo(harness.Names.ImportsTable));
        Assert.Equal(importRow!.ETag, (await harness.Imports.GetAsync(result.ImportId, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Operators_parking_and_re_queuing_a_row_again_and_again_even_at_once_keep_the_totals_exact()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var result = await harness.UploadAndIngestAsync("storm.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));
        harness.Sandbox.Faults.NextCalls(2, SandboxFault.Throttle());
        await harness.DrainQueueAsync();
        var row = (await harness.FailedRowsAsync()).OrderBy(failed => failed.RowKey, StringComparer.Ordinal).First();
        var id = $"{row.PartitionKey}/{row.RowKey}";
        var afterFirstPosts = new PostingCounts(FeishuPosts: 2, Throttled: 2, BatchesFailed: 2);

        Assert.Equal(afterFirstPosts, await PostingAsync(harness, result.ImportId));
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(ExitCodes.Ok, (await OperatorCli.RunAsync(harness, "failed", "park", id)).ExitCode);
            Assert.Equal(afterFirstPosts with { PunchesParked = 50, BatchesParked = 1 }, await PostingAsync(harness, result.ImportId));
            Assert.Equal(ExitCodes.Ok, (await OperatorCli.RunAsync(harness, "failed", "retry", id)).ExitCode);
            Assert.Equal(afterFirstPosts, await PostingAsync(harness, result.ImportId));
        }

        // Two operators parking the same row at once: one parks it, the other finds it changed or already parked.
        await Task.WhenAll(OperatorCli.RunAsync(harness, "failed", "park", id), OperatorCli.RunAsync(harness, "failed", "park", id));
        Assert.Equal(afterFirstPosts with { PunchesParked = 50, BatchesParked = 1 }, await PostingAsync(harness, result.ImportId));
        await Task.WhenAll(OperatorCli.RunAsync(harness, "failed", "retry", id), OperatorCli.RunAsync(harness, "failed", "retry", id));
        Assert.Equal(afterFirstPosts, await PostingAsync(harness, result.ImportId));

        await harness.RetryUntilSettledAsync();

        Assert.Equal(afterFirstPosts with { FeishuPosts = 4, PunchesPosted = 100, BatchesPosted = 2 }, await PostingAsync(harness, result.ImportId));
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(100, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_batch_the_retry_timer_gives_up_on_counts_each_call_once_and_comes_back_when_re_queued()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var result = await harness.UploadAndIngestAsync("hopeless.dat", PipelineHarness.AttLog(PipelineHarness.Punches(10)));
        harness.Sandbox.Faults.NextCalls(4, SandboxFault.ServerError());

        await harness.DrainQueueAsync();
        await harness.RetryUntilSettledAsync();
        var parked = Assert.Single(await harness.FailedRowsAsync());
        var afterGivingUp = await PostingAsync(harness, result.ImportId);
        await OperatorCli.RunAsync(harness, "failed", "retry", $"{parked.PartitionKey}/{parked.RowKey}");
        var afterRequeue = await PostingAsync(harness, result.ImportId);
        await harness.RetryUntilSettledAsync();

        Assert.Equal(FailedBatchEntity.Parked, parked.State);
        Assert.Equal(new PostingCounts(FeishuPosts: 4, PunchesParked: 10, BatchesFailed: 1, BatchesParked: 1), afterGivingUp);
        Assert.Equal(afterGivingUp with { PunchesParked = 0, BatchesParked = 0 }, afterRequeue);
        var final = await PostingAsync(harness, result.ImportId);
        Assert.Equal(afterRequeue with { FeishuPosts = 5, PunchesPosted = 10, BatchesPosted = 1 }, final);
        Assert.Equal(BatchCreateCalls(harness), final.FeishuPosts);
        Assert.Equal(10, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_retry_run_that_dies_after_counting_an_attempt_counts_it_once_when_the_attempt_is_made_again()
    {
        var tap = new TableRequestTap();
        await using var harness = await StartTappedAsync(tap);
        var result = await harness.UploadAndIngestAsync("crash.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));
        harness.Sandbox.Faults.NextCalls(2, SandboxFault.Throttle());
        await harness.DrainQueueAsync();

        tap.CrashOnNext(RequestMethod.Delete, harness.Names.FailedBatchesTable);
        harness.Time.Advance(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Retry.HandleAsync(CancellationToken.None));
        await harness.RetryUntilSettledAsync();

        // The dead run's attempt was posted again (Feishu de-duplicated it) and counted once, with the second outcome.
        Assert.Equal(2 + 3, BatchCreateCalls(harness));
        Assert.Equal(
            new PostingCounts(FeishuPosts: 4, Throttled: 2, PunchesPosted: 100, BatchesPosted: 2, BatchesFailed: 2),
            await PostingAsync(harness, result.ImportId));
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(100, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task Records_refused_inside_accepted_batches_are_counted_as_held_and_the_rest_as_posted()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.PartialSuccess };
        harness.Sandbox.Tenant.AddUsers("employee_id", "1", "2", "3", "4", "5", "6");
        var result = await harness.UploadAndIngestAsync("unknown.dat", PipelineHarness.AttLog(PipelineHarness.Punches(70, users: 7)));

        await harness.DrainQueueAsync();
        await harness.RetryUntilSettledAsync();

        var posting = await PostingAsync(harness, result.ImportId);
        Assert.Equal((60L, 0L, 10L), (posting.PunchesPosted, posting.PunchesParked, posting.PunchesHeld));
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(0, posting.BatchesParked);
        Assert.Equal(BatchCreateCalls(harness), posting.FeishuPosts);
        Assert.Equal(60, harness.LedgerIds().Count);
    }

    private Task<PipelineHarness> StartTappedAsync(TableRequestTap tap) => PipelineHarness.StartWithPoliciesAsync(azurite, tables: tap);

    /// <summary>Full batches of 50, each posted (and counted) once, whole.</summary>
    private static async Task AssertEveryBatchPostedOnceAsync(PipelineHarness harness, string importId, int batches)
    {
        var totals = await harness.Imports.GetTotalsAsync(importId, CancellationToken.None);
        Assert.Equal(new PostingCounts(FeishuPosts: batches, PunchesPosted: batches * 50L, BatchesPosted: batches), totals!.Posting);
        Assert.Equal(batches, totals.BatchesRecorded);
        Assert.Equal(batches * 50, harness.LedgerIds().Count);
    }

    private static async Task<PostingCounts> PostingAsync(PipelineHarness harness, string importId) =>
        (await harness.Imports.GetTotalsAsync(importId, CancellationToken.None))!.Posting;

    private static int BatchCreateCalls(PipelineHarness harness) =>
        harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate);

    private static async Task<List<QueueMessage>> ReceiveAllAsync(QueueClient queue)
    {
        var all = new List<QueueMessage>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } messages)
        {
            all.AddRange(messages);
        }

        return all;
    }
}
