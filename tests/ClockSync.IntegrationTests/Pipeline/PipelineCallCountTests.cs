using Azure.Data.Tables;
using ClockSync.Feishu.Accounting;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Storage.CallCounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The Feishu call counts persisted to <c>FeishuCalls</c> by the running pipeline.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineCallCountTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task After_a_run_with_throttling_and_retries_the_persisted_counts_equal_the_requests_Feishu_saw()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("counted.dat", PipelineHarness.AttLog(PipelineHarness.Punches(250)));
        harness.Sandbox.Faults.NextCalls(2, SandboxFault.Throttle());

        await harness.DrainQueueAsync();
        await harness.RetryUntilSettledAsync();

        var rows = new List<FeishuCallCountEntity>();
        await foreach (var row in new TableClient(azurite.ConnectionString, harness.Names.CallCountsTable).QueryAsync<FeishuCallCountEntity>())
        {
            rows.Add(row);
        }

        var requests = harness.Sandbox.Requests.Snapshot();
        var persisted = rows.GroupBy(row => row.RowKey[(row.RowKey.IndexOf('-', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(row => row.Count), StringComparer.Ordinal);
        Assert.All(rows, row => Assert.Equal(SandboxSettings.DefaultAppId, row.PartitionKey));
        Assert.Equal(requests.Count(request => request.Endpoint == SandboxEndpoints.BatchCreate), persisted[nameof(FeishuCallKind.BatchCreate)]);
        Assert.Equal(requests.Count(request => request.Endpoint == SandboxEndpoints.Token), persisted[nameof(FeishuCallKind.TenantToken)]);
        Assert.Equal(5 + 2, persisted[nameof(FeishuCallKind.BatchCreate)]);
        Assert.False(persisted.ContainsKey(nameof(FeishuCallKind.Query)));
        Assert.IsType<TableFeishuCallCounter>(harness.Services.GetRequiredService<IFeishuCallCounter>());
    }

    [Fact]
    public async Task Two_counters_flushing_into_the_same_row_lose_no_increment()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var storage = harness.Services.GetRequiredService<ClockSync.Storage.PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<TableFeishuCallCounter>.Instance;
        var counters = Enumerable.Range(0, 4).Select(_ => new TableFeishuCallCounter(storage, logger)).ToList();
        var day = new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero);

        for (var round = 0; round < 3; round++)
        {
            foreach (var counter in counters)
            {
                for (var i = 0; i < 5; i++)
                {
                    counter.Count("cli_race", FeishuCallKind.BatchCreate, day);
                }
            }

            await Task.WhenAll(counters.Select(counter => counter.FlushAsync(CancellationToken.None)));
        }

        var row = await storage.CallCounts.GetEntityAsync<FeishuCallCountEntity>("cli_race", "20260301-BatchCreate");
        Assert.Equal(3 * 4 * 5, row.Value.Count);
    }

    [Fact]
    public async Task The_post_handlers_flush_runs_at_most_once_per_interval_and_a_full_flush_writes_what_it_held_back()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var storage = harness.Services.GetRequiredService<ClockSync.Storage.PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var counter = new TableFeishuCallCounter(storage, Microsoft.Extensions.Logging.Abstractions.NullLogger<TableFeishuCallCounter>.Instance, time);
        async Task<long> PersistedAsync() =>
            (await storage.CallCounts.GetEntityIfExistsAsync<FeishuCallCountEntity>("cli_due", "20260302-BatchCreate")).Value?.Count ?? 0;

        counter.Count("cli_due", FeishuCallKind.BatchCreate, time.GetUtcNow());
        await counter.FlushIfDueAsync(CancellationToken.None);
        var afterFirst = await PersistedAsync();
        counter.Count("cli_due", FeishuCallKind.BatchCreate, time.GetUtcNow());
        time.Advance(TableFeishuCallCounter.FlushInterval - TimeSpan.FromMilliseconds(1));
        await counter.FlushIfDueAsync(CancellationToken.None);
        var withinInterval = await PersistedAsync();
        time.Advance(TimeSpan.FromMilliseconds(1));
        await counter.FlushIfDueAsync(CancellationToken.None);
        var afterInterval = await PersistedAsync();
        counter.Count("cli_due", FeishuCallKind.BatchCreate, time.GetUtcNow());
        await counter.FlushIfDueAsync(CancellationToken.None);
        var heldBack = await PersistedAsync();
        await counter.FlushAsync(CancellationToken.None);

        Assert.Equal((1L, 1L, 2L, 2L), (afterFirst, withinInterval, afterInterval, heldBack));
        Assert.Equal(3L, await PersistedAsync());
    }
}
