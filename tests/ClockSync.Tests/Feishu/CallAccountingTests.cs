using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Flows;
using ClockSync.FeishuSandbox;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Feishu;

public sealed class CallAccountingTests
{
    [Fact]
    public async Task Token_batch_create_and_query_calls_are_counted_per_app_and_utc_day()
    {
        // 23:59:59 UTC: the second batch falls on the next UTC day.
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 23, 59, 59, TimeSpan.Zero));
        await using var harness = await FeishuClientHarness.StartAsync(timeProvider: time);

        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 1)], CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1", 2)], CancellationToken.None));
        Assert.IsType<FeishuQueryOutcome.Found>(await harness.Client.QueryFlowsAsync(
            ["u1"], FeishuClientHarness.BaseCheckTime, FeishuClientHarness.BaseCheckTime + 10, false, CancellationToken.None));

        var app = FeishuClientHarness.AppId;
        Assert.Equal(
            [
                new FeishuCallTally(app, new DateOnly(2025, 6, 2), FeishuCallKind.TenantToken, 1),
                new FeishuCallTally(app, new DateOnly(2025, 6, 2), FeishuCallKind.BatchCreate, 1),
                new FeishuCallTally(app, new DateOnly(2025, 6, 3), FeishuCallKind.BatchCreate, 1),
                new FeishuCallTally(app, new DateOnly(2025, 6, 3), FeishuCallKind.Query, 1),
            ],
            harness.Counter.Snapshot());
    }

    [Fact]
    public async Task Every_request_on_the_wire_is_counted_including_refused_and_isolation_calls()
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings
        {
            KnownUsers = SandboxUsers.Same("u1", "u2", "u3"),
            Behaviour = new SandboxBehaviour { UnknownUserMode = UnknownUserMode.WholeRequest1220004 },
        });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(99991663, 401, "invalid access token"));

        await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1", "u2", "u3", "ghost"]), CancellationToken.None);

        Assert.Equal(harness.RequestsTo(SandboxEndpoints.BatchCreate).Count, harness.Calls(FeishuCallKind.BatchCreate));
        Assert.Equal(harness.RequestsTo(SandboxEndpoints.Token).Count, harness.Calls(FeishuCallKind.TenantToken));
        Assert.True(harness.Calls(FeishuCallKind.BatchCreate) >= 3);
    }

    [Fact]
    public void The_in_memory_counter_adds_up_concurrent_counts()
    {
        var counter = new InMemoryFeishuCallCounter();
        var at = new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.FromHours(8));

        Parallel.For(0, 1000, _ => counter.Count("cli_a", FeishuCallKind.BatchCreate, at));
        counter.Count("cli_b", FeishuCallKind.BatchCreate, at);

        Assert.Equal(
            [
                new FeishuCallTally("cli_a", new DateOnly(2025, 6, 2), FeishuCallKind.BatchCreate, 1000),
                new FeishuCallTally("cli_b", new DateOnly(2025, 6, 2), FeishuCallKind.BatchCreate, 1),
            ],
            counter.Snapshot());
    }
}
