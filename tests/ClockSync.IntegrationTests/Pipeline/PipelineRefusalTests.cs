using System.Globalization;
using System.Text;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Flows;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Cli;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Failures;
using ClockSync.Storage.Failures;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// Feishu's refusals through the real pipeline (Azurite and the sandbox): unknown users held and remembered, the mapping
/// corrected, sealed months, the monthly quota, a failed batch too big for a row, re-queue rounds. Each asserts the
/// sandbox ledger and FailedBatches: nothing lost, nothing doubled, nothing parked that should wait.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineRefusalTests(AzuriteFixture azurite)
{
    private static readonly string[] KnownUsers = ["1", "2", "3", "4", "5", "6"];

    [Theory]
    [InlineData(UnknownUserMode.PartialSuccess)]
    [InlineData(UnknownUserMode.WholeRequest1220004)]
    [InlineData(UnknownUserMode.WholeRequestEmployeeNoInvalid)]
    public async Task An_unknown_user_is_held_not_parked_and_costs_no_call_in_a_later_import(UnknownUserMode mode)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = mode };
        harness.Sandbox.Tenant.AddUsers("employee_id", KnownUsers);
        var first = await harness.UploadAndIngestAsync("first.dat", PipelineHarness.AttLog(PipelineHarness.Punches(70, users: 7)));
        await harness.DrainQueueAsync();
        var runs = await harness.RetryUntilSettledAsync();

        Assert.Equal(60, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(0, runs.Sum(run => run.Claimed));
        var held = await Unknown(harness).ListHeldAsync("7", CancellationToken.None);
        Assert.Equal(10, held.Count);
        Assert.Equal(["7"], (await Unknown(harness).ListUnknownAsync(CancellationToken.None)).Select(user => user.FeishuId));
        var totals = await harness.Imports.GetTotalsAsync(first.ImportId, CancellationToken.None);
        Assert.Equal((60L, 10L, 0L), (totals!.Posting.PunchesPosted, totals.Posting.PunchesHeld, totals.Posting.PunchesParked));

        // A later file: user 7's punches are set aside with no call; one call per batch for everyone else.
        var callsBefore = BatchCreateCalls(harness);
        var second = await harness.UploadAndIngestAsync("second.dat", PipelineHarness.AttLog(PipelineHarness.Punches(70, users: 7, startMinute: 70)));
        await harness.DrainQueueAsync();

        Assert.Equal(second.BatchesEnqueued, BatchCreateCalls(harness) - callsBefore);
        var report = await harness.ReportAsync("second.dat");
        Assert.Equal([new UnknownUserPunches("7", 10)], report.UnknownUsers);
        Assert.Equal(120, harness.LedgerIds().Count);
        Assert.Equal(20, (await Unknown(harness).ListHeldAsync("7", CancellationToken.None)).Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task Concurrent_deliveries_of_batches_sharing_new_unknown_users_isolate_them_once()
    {
        // 400 punches from users 1..20 of whom 19 and 20 are unknown: every batch holds both. Feishu refuses the whole
        // request. Delivered all at once, as the queue listener does, each batch would otherwise be refused whole and
        // isolated by halving on its own (at least 5 extra calls apiece, 40 for eight batches).
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        harness.Sandbox.Tenant.AddUsers("employee_id", Enumerable.Range(1, 18).Select(user => user.ToString(CultureInfo.InvariantCulture)).ToArray());
        var ingested = await harness.UploadAndIngestAsync("shared.dat", PipelineHarness.AttLog(PipelineHarness.Punches(400, users: 20)));
        var messages = await harness.ReceiveAllAsync();
        Assert.True(messages.Count >= 8, $"{messages.Count} batches");

        await Task.WhenAll(messages.Select(message => harness.Post.HandleAsync(message.MessageText, message.DequeueCount, CancellationToken.None)));

        // One isolation of 20 users with two unknown, not one per delivery: the bound is 2 extra calls per
        // unknown user per import; halving 20 users costs one or two more than that, so the bound here is one isolation.
        var extra = BatchCreateCalls(harness) - ingested.BatchesEnqueued;
        Assert.InRange(extra, 0, 2 * 2 + 2);
        var held = await Unknown(harness).ListHeldAsync(null, CancellationToken.None);
        var heldIds = held.Select(row => UnknownUserStore.RecordOf(row).IdempotentId).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["19", "20"], held.Select(row => row.ClockKey).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(40, heldIds.Count);
        var ledger = harness.LedgerIds();
        Assert.Equal(360, ledger.Count);
        Assert.Empty(ledger.Intersect(heldIds));
        Assert.Equal(ExpectedIds.Of(400, "shared.dat", users: 20), ledger.Union(heldIds).ToHashSet(StringComparer.Ordinal));
        Assert.DoesNotContain(harness.Sandbox.Ledger.Snapshot(), flow => flow.UserId is "19" or "20");
        Assert.Equal(["19", "20"], (await Unknown(harness).ListUnknownAsync(CancellationToken.None)).Select(user => user.FeishuId).Order(StringComparer.Ordinal));
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task Held_punches_are_posted_once_with_the_new_id_when_the_mapping_blob_is_corrected()
    {
        var container = "map" + Guid.NewGuid().ToString("N")[..10];
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            [IdMappingSource.SettingKey] = container + "/ids.csv",
        });
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        harness.Sandbox.Tenant.AddUsers("employee_id", "u1", "u2", "u3", "u4", "u5", "u6", "u7");
        var mapping = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        await mapping.CreateIfNotExistsAsync();
        await mapping.GetBlobClient("ids.csv").UploadAsync(BinaryData.FromString(Mapping("wrong7")), overwrite: true);
        await harness.UploadAndIngestAsync("mapped.dat", PipelineHarness.AttLog(PipelineHarness.Punches(70, users: 7)));
        await harness.DrainQueueAsync();
        var callsAfterPosting = BatchCreateCalls(harness);

        var unchanged = await harness.Retry.HandleAsync(CancellationToken.None);
        Assert.Equal(0, unchanged.Released);
        Assert.Equal(callsAfterPosting, BatchCreateCalls(harness));
        Assert.Equal(60, harness.LedgerIds().Count);

        await mapping.GetBlobClient("ids.csv").UploadAsync(BinaryData.FromString(Mapping("u7")), overwrite: true);
        var corrected = await harness.Retry.HandleAsync(CancellationToken.None);
        var again = await harness.Retry.HandleAsync(CancellationToken.None);

        Assert.Equal((10, 0), (corrected.Released, again.Released));
        Assert.Equal(callsAfterPosting + 1, BatchCreateCalls(harness));
        Assert.Equal(70, harness.LedgerIds().Count);
        Assert.Equal(10, harness.Sandbox.Ledger.Snapshot().Count(flow => flow.UserId == "u7"));
        Assert.Empty(await Unknown(harness).ListHeldAsync(null, CancellationToken.None));
        Assert.Empty(await Unknown(harness).ListUnknownAsync(CancellationToken.None));
        Assert.Empty(await harness.FailedRowsAsync());

        static string Mapping(string seventh) =>
            "clock key,feishu id\n" + string.Concat(Enumerable.Range(1, 6).Select(i => $"{i},u{i}\n")) + $"7,{seventh}\n";
    }

    [Fact]
    public async Task A_forced_retry_posts_a_users_held_punches_once_Feishu_knows_the_user()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        harness.Sandbox.Tenant.AddUsers("employee_id", KnownUsers);
        await harness.UploadAndIngestAsync("late.dat", PipelineHarness.AttLog(PipelineHarness.Punches(70, users: 7)));
        await harness.DrainQueueAsync();
        var releaser = harness.Services.GetRequiredService<HeldPunchReleaser>();

        var stillUnknown = await releaser.ReleaseAsync("7", force: true, CancellationToken.None);
        harness.Sandbox.Tenant.AddUsers("employee_id", "7");
        var known = await releaser.ReleaseAsync("7", force: true, CancellationToken.None);
        var nothingLeft = await releaser.ReleaseAsync(null, force: true, CancellationToken.None);

        Assert.Equal((10, 0, 10), (stillUnknown.Held, stillUnknown.Released, stillUnknown.RefusedAgain));
        Assert.Equal((10, 10, 0), (known.Held, known.Released, known.RefusedAgain));
        Assert.Equal(0, nothingLeft.Held);
        Assert.Equal(70, harness.LedgerIds().Count);
        Assert.Empty(await Unknown(harness).ListUnknownAsync(CancellationToken.None));
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task A_sealed_month_is_parked_with_what_to_do_and_the_open_month_lands()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { SealedMonths = new HashSet<string>(["2025-05"]) };
        await harness.UploadAndIngestAsync("sealed.dat", PipelineHarness.AttLog(MayAndJune(20)));

        await harness.DrainQueueAsync();
        var runs = await harness.RetryUntilSettledAsync();

        Assert.Equal(20, harness.LedgerIds().Count);
        var parked = Assert.Single(await harness.FailedRowsAsync());
        Assert.Equal((FailedBatchEntity.Parked, 20), (parked.State, parked.RecordCount));
        Assert.Equal(FailedBatchPolicy.SealedParkReason, parked.ParkReason);
        Assert.Equal(1220600, parked.LastErrorCode);
        Assert.All(FailedBatchStore.DeserializeRecords(parked.Records), record => Assert.True(record.CheckTime < June));
        Assert.Equal(0, runs.Sum(run => run.Claimed));
    }

    [Fact]
    public async Task The_monthly_quota_keeps_batches_pending_without_counting_attempts_and_never_parks_them()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?> { ["ClockSync:Retry:MaxAttempts"] = "1" });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(99991403, 429, "request trigger monthly quota limit"));
        await harness.UploadAndIngestAsync("quota.dat", PipelineHarness.AttLog(PipelineHarness.Punches(10)));
        await harness.DrainQueueAsync();

        // Due when the app-wide pause ends: the next quota month (China time), not after a backoff.
        var row = Assert.Single(await harness.FailedRowsAsync());
        Assert.Equal((FailedBatchEntity.Pending, 0, 99991403, 10), (row.State, row.AttemptCount, row.LastErrorCode, row.RecordCount));
        Assert.Equal(FeishuQuotaMonth.NextStart(harness.Time.GetUtcNow()), row.NextDueUtc);

        Assert.Equal(0, (await OperatorCli.RunAsync(harness, "feishu", "resume")).ExitCode);
        var runs = await harness.RetryUntilSettledAsync();

        Assert.Equal(0, runs.Sum(run => run.Parked));
        Assert.Equal(10, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task A_failed_batch_too_big_for_a_row_keeps_its_records_in_a_claim_check_blob()
    {
        // About 60 Chinese characters, each written \uXXXX in the JSON, in both location and comment of 50 records.
        var location = string.Concat(Enumerable.Repeat("北京市朝阳区建国路八十八号现代城写字楼", 3));
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            ["ClockSync:Punches:DefaultLocationName"] = location,
            ["ClockSync:Punches:LocationNameTemplate"] = location + " {device}",
        });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.ServerError());
        await harness.UploadAndIngestAsync("long-names.dat", PipelineHarness.AttLog(PipelineHarness.Punches(50)));
        await harness.DrainQueueAsync();

        var row = Assert.Single(await harness.FailedRowsAsync());
        Assert.NotNull(row.RecordsBlob);
        Assert.Equal(50, (await harness.Failures.ReadRecordsAsync(row, CancellationToken.None)).Count);

        await harness.RetryUntilSettledAsync();

        Assert.Equal(50, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task Re_queue_rounds_never_overwrite_the_row_being_retried()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        harness.Sandbox.Faults.OnCall(1, SandboxFault.ServerError());
        await harness.UploadAndIngestAsync("rounds.dat", PipelineHarness.AttLog(MayAndJune(20)));
        await harness.DrainQueueAsync();
        var row = Assert.Single(await harness.FailedRowsAsync());
        var now = harness.Time.GetUtcNow();
        Assert.True(await harness.Failures.TryParkAsync(row, "parked by a test", now, CancellationToken.None));
        Assert.True(await harness.Failures.TryRequeueAsync(row, now, CancellationToken.None));

        // Round 1: May is sealed now (parked apart), June's part of the split fails on a 5xx (stays pending in the row).
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { SealedMonths = new HashSet<string>(["2025-05"]) };
        // Counted from now: the whole batch (sealed), May alone (sealed), June alone (this 5xx).
        harness.Sandbox.Faults.OnCall(3, SandboxFault.ServerError());
        await harness.Retry.HandleAsync(CancellationToken.None);
        var rows = await harness.FailedRowsAsync();

        Assert.Equal(2, rows.Count);
        Assert.Equal(40, rows.Sum(r => r.RecordCount));
        Assert.Equal(20, rows.Single(r => r.State == FailedBatchEntity.Parked).RecordCount);
        Assert.Equal(row.RowKey, rows.Single(r => r.State == FailedBatchEntity.Pending).RowKey);

        await harness.RetryUntilSettledAsync();
        Assert.Equal(20, harness.LedgerIds().Count);

        // Round 2: the admin unseals May; the operator re-queues the parked part; it lands.
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { SealedMonths = new HashSet<string>() };
        var parked = Assert.Single(await harness.FailedRowsAsync());
        Assert.True(await harness.Failures.TryRequeueAsync(parked, harness.Time.GetUtcNow(), CancellationToken.None));
        await harness.RetryUntilSettledAsync();

        Assert.Equal(40, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task On_the_last_delivery_a_batch_that_cannot_be_posted_is_recorded_pending_instead_of_left_to_poison()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, services: services => services.AddSingleton<IFeishuAttendanceClient, ThrowingClient>());
        await harness.UploadAndIngestAsync("poison.dat", PipelineHarness.AttLog(PipelineHarness.Punches(10)));
        var message = (await harness.Queue.ReceiveMessageAsync()).Value;

        for (var delivery = 1; delivery < harness.Names.MaxDequeueCount; delivery++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Post.HandleAsync(message.MessageText, delivery, CancellationToken.None));
            Assert.Empty(await harness.FailedRowsAsync());
        }

        await harness.Post.HandleAsync(message.MessageText, harness.Names.MaxDequeueCount, CancellationToken.None);

        var row = Assert.Single(await harness.FailedRowsAsync());
        Assert.Equal((FailedBatchEntity.Pending, 10), (row.State, row.RecordCount));
        Assert.Contains("deliveries", row.LastErrorMessage, StringComparison.Ordinal);
    }

    private static readonly long June = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeSeconds();

    /// <summary><paramref name="each"/> punches on 31 May and as many on 2 June 2025 (China time), one batch.</summary>
    private static (string User, DateTime Time)[] MayAndJune(int each) =>
        [.. Enumerable.Range(0, each).Select(i => ((i % 5 + 1).ToString(CultureInfo.InvariantCulture), new DateTime(2025, 5, 31, 9, 0, 0).AddMinutes(i))),
         .. Enumerable.Range(0, each).Select(i => ((i % 5 + 1).ToString(CultureInfo.InvariantCulture), new DateTime(2025, 6, 2, 9, 0, 0).AddMinutes(i)))];

    private static UnknownUserStore Unknown(PipelineHarness harness) => harness.Services.GetRequiredService<UnknownUserStore>();

    private static int BatchCreateCalls(PipelineHarness harness) =>
        harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate);

    /// <summary>A Feishu client whose every call throws, as a bug or a broken dependency would.</summary>
    private sealed class ThrowingClient : IFeishuAttendanceClient
    {
        public Task<FeishuBatchOutcome> BatchCreateAsync(IReadOnlyList<FeishuFlowRecord> records, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken on purpose");

        public Task<FeishuQueryOutcome> QueryFlowsAsync(IReadOnlyList<string> userIds, long checkTimeFrom, long checkTimeTo, bool includeTerminatedUsers, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken on purpose");
    }
}
