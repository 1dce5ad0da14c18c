using System.Text.Json;
using ClockSync.Cli;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.Pipeline;
using ClockSync.Storage.Failures;

namespace ClockSync.IntegrationTests.Cli;

[Collection(AzuriteGroup.Name)]
public sealed class FailedCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task List_and_show_give_the_last_error_log_id_and_next_attempt_of_throttled_batches()
    {
        await using var harness = await ThrottledRunAsync();
        var rows = await harness.FailedRowsAsync();
        var id = $"{rows[0].PartitionKey}/{rows[0].RowKey}";

        var list = await OperatorCli.RunAsync(harness, "failed", "list", "--json");
        var human = await OperatorCli.RunAsync(harness, "failed", "list");
        var show = await OperatorCli.RunAsync(harness, "failed", "show", id);
        var showJson = await OperatorCli.RunAsync(harness, "failed", "show", id, "--json");

        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        var listed = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, row =>
        {
            Assert.Equal((FailedBatchEntity.Pending, 99991400, 1), (row.GetProperty("state").GetString(), row.GetProperty("lastErrorCode").GetInt32(), row.GetProperty("attempts").GetInt32()));
            Assert.False(string.IsNullOrEmpty(row.GetProperty("lastLogId").GetString()));
            Assert.True(row.GetProperty("nextAttemptUtc").GetDateTimeOffset() > harness.Time.GetUtcNow());
        });
        Assert.Contains(id, human.Out, StringComparison.Ordinal);
        Assert.Contains("99991400", human.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, show.ExitCode);
        Assert.Contains(rows[0].LastLogId!, show.Out, StringComparison.Ordinal);
        Assert.Contains("Records:", show.Out, StringComparison.Ordinal);
        var shown = JsonDocument.Parse(showJson.Out).RootElement;
        Assert.Equal(id, shown.GetProperty("batch").GetProperty("id").GetString());
        Assert.Equal(rows[0].RecordCount, shown.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Retry_makes_a_row_due_now_and_the_timer_posts_it_without_doubling_any_punch()
    {
        await using var harness = await ThrottledRunAsync();
        var rows = await harness.FailedRowsAsync();
        var id = $"{rows[0].PartitionKey}/{rows[0].RowKey}";

        var retry = await OperatorCli.RunAsync(harness, "failed", "retry", id);
        var afterRetry = (await harness.FailedRowsAsync()).Single(row => row.RowKey == rows[0].RowKey && row.PartitionKey == rows[0].PartitionKey);
        var run = await harness.Retry.HandleAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, retry.ExitCode);
        Assert.True(afterRetry.NextDueUtc <= harness.Time.GetUtcNow(), "the row must be due now");
        Assert.True(rows[0].NextDueUtc > harness.Time.GetUtcNow(), "the row was not due before the retry");
        Assert.Equal((1, 1), (run.Claimed, run.Posted));
        Assert.Single(await harness.FailedRowsAsync());

        var all = await OperatorCli.RunAsync(harness, "failed", "retry", "--all");
        var second = await harness.Retry.HandleAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, all.ExitCode);
        Assert.Contains("1 batch(es) re-queued", all.Out, StringComparison.Ordinal);
        Assert.Equal((1, 1), (second.Claimed, second.Posted));
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(100, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task Park_keeps_the_timer_away_and_retry_brings_a_parked_row_back_with_fresh_attempts()
    {
        await using var harness = await ThrottledRunAsync();
        var rows = await harness.FailedRowsAsync();
        var id = $"{rows[0].PartitionKey}/{rows[0].RowKey}";

        var park = await OperatorCli.RunAsync(harness, "failed", "park", id, "--reason", "clock 3 sent test punches");
        var parkAgain = await OperatorCli.RunAsync(harness, "failed", "park", id);
        var parked = await OperatorCli.RunAsync(harness, "failed", "list", "--state", "parked", "--json");
        var import = await harness.Imports.GetTotalsAsync(rows[0].PartitionKey, CancellationToken.None);
        var runs = await harness.RetryUntilSettledAsync();

        Assert.Equal(ExitCodes.Ok, park.ExitCode);
        Assert.Contains("already parked", parkAgain.Out, StringComparison.Ordinal);
        var parkedRow = Assert.Single(JsonDocument.Parse(parked.Out).RootElement.EnumerateArray());
        Assert.Equal("parked by an operator: clock 3 sent test punches", parkedRow.GetProperty("parkReason").GetString());
        Assert.Equal((1, (long)rows[0].RecordCount), (import!.Posting.BatchesParked, import.Posting.PunchesParked));
        Assert.Equal(1, runs.Sum(summary => summary.Posted));
        Assert.Equal(FailedBatchEntity.Parked, Assert.Single(await harness.FailedRowsAsync()).State);

        var retry = await OperatorCli.RunAsync(harness, "failed", "retry", id);
        var requeued = Assert.Single(await harness.FailedRowsAsync());
        var run = await harness.Retry.HandleAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, retry.ExitCode);
        Assert.Equal((FailedBatchEntity.Pending, 0, null), (requeued.State, requeued.AttemptCount, requeued.ParkReason));
        Assert.Equal(1, run.Posted);
        Assert.Equal(0, (await harness.Imports.GetTotalsAsync(rows[0].PartitionKey, CancellationToken.None))!.Posting.BatchesParked);
        Assert.Equal(100, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task An_unknown_user_is_listed_by_users_unknown_with_its_held_punches_and_is_never_a_parked_batch()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        harness.Sandbox.Tenant.AddUsers("employee_id", "1", "2", "3", "4", "5", "6");
        await harness.UploadAndIngestAsync("unknown.dat", PipelineHarness.AttLog(PipelineHarness.Punches(14, users: 7)));
        await harness.DrainQueueAsync();
        await harness.RetryUntilSettledAsync();

        var parked = await OperatorCli.RunAsync(harness, "failed", "list", "--state", "parked", "--json");
        var unknown = await OperatorCli.RunAsync(harness, "users", "unknown", "--json");
        var human = await OperatorCli.RunAsync(harness, "users", "unknown");

        Assert.Empty(JsonDocument.Parse(parked.Out).RootElement.EnumerateArray());
        var user = Assert.Single(JsonDocument.Parse(unknown.Out).RootElement.EnumerateArray());
        Assert.Equal(("7", "7", 2, 1220004), (user.GetProperty("feishuId").GetString(), user.GetProperty("clockKeys").GetString(),
            user.GetProperty("held").GetInt32(), user.GetProperty("code").GetInt32()));
        Assert.False(string.IsNullOrEmpty(user.GetProperty("logId").GetString()));
        Assert.Contains("clocksync users retry --user KEY", human.Out, StringComparison.Ordinal);

        // The user is added in Feishu: 'users retry' posts the held punches once; a second run has nothing to send.
        harness.Sandbox.Tenant.AddUsers("employee_id", "7");
        var retry = await OperatorCli.RunAsync(harness, "users", "retry", "--user", "7");
        var again = await OperatorCli.RunAsync(harness, "users", "retry");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (retry.ExitCode, again.ExitCode));
        Assert.Contains("2 posted", retry.Out, StringComparison.Ordinal);
        Assert.Contains("0 held punch(es)", again.Out, StringComparison.Ordinal);
        Assert.Equal(14, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task Poison_replay_moves_poisoned_batches_back_and_they_are_posted_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("poisoned.dat", PipelineHarness.AttLog(PipelineHarness.Punches(60)));
        var poison = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, harness.Names.BatchQueue + "-poison", ClockSync.Storage.StorageAccountClients.QueueOptions());
        await poison.CreateIfNotExistsAsync();
        // As the host does after the last delivery: the message moves to the poison queue.
        foreach (var message in (await harness.Queue.ReceiveMessagesAsync(32)).Value)
        {
            await poison.SendMessageAsync(message.Body);
            await harness.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        var replay = await OperatorCli.RunAsync(harness, "poison", "replay");
        await harness.DrainQueueAsync();

        Assert.Equal(ExitCodes.Ok, replay.ExitCode);
        Assert.Contains("2 message(s) moved back", replay.Out, StringComparison.Ordinal);
        Assert.Empty((await poison.PeekMessagesAsync()).Value);
        Assert.Equal(60, harness.LedgerIds().Count);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("retry")]
    [InlineData("park")]
    public async Task An_unknown_id_is_a_clear_error_with_exit_code_not_found(string verb)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);

        var wellFormed = await OperatorCli.RunAsync(harness, "failed", verb, "0123456789abcdef/000001-r");
        var malformed = await OperatorCli.RunAsync(harness, "failed", verb, "nonsense");

        Assert.Equal((ExitCodes.NotFound, ExitCodes.NotFound), (wellFormed.ExitCode, malformed.ExitCode));
        Assert.Contains("no failed batch '0123456789abcdef/000001-r'", wellFormed.Error, StringComparison.Ordinal);
        Assert.Contains("'clocksync failed list'", malformed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_needs_an_id_or_all()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);

        var neither = await OperatorCli.RunAsync(harness, "failed", "retry");
        var both = await OperatorCli.RunAsync(harness, "failed", "retry", "a/b", "--all");

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (neither.ExitCode, both.ExitCode));
        Assert.Contains("Give either a row id or --all.", neither.Error, StringComparison.Ordinal);
    }

    /// <summary>100 punches in two batches, both answered 429 on the first post: two Pending rows.</summary>
    private async Task<PipelineHarness> ThrottledRunAsync()
    {
        var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("storm.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));
        harness.Sandbox.Faults.NextCalls(2, SandboxFault.Throttle());
        await harness.DrainQueueAsync();
        Assert.Equal(2, (await harness.FailedRowsAsync()).Count);
        return harness;
    }
}
