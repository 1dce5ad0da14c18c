using ClockSync.Feishu.Flows;
using ClockSync.FeishuSandbox;

namespace ClockSync.Tests.Feishu;

public sealed class QueryTests
{
    [Fact]
    public async Task Query_returns_the_posted_flows_with_their_keys_for_reconciliation()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        var batch = FeishuClientHarness.Records(["u1", "u2", "u3"], perUser: 2);
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync(batch, CancellationToken.None));

        var outcome = await harness.Client.QueryFlowsAsync(
            ["u1", "u3"], FeishuClientHarness.BaseCheckTime, FeishuClientHarness.BaseCheckTime + 1, includeTerminatedUsers: true, CancellationToken.None);

        var found = Assert.IsType<FeishuQueryOutcome.Found>(outcome);
        Assert.Equal(
            batch.Where(record => record.UserId != "u2").Select(record => (record.UserId, record.CheckTime, (string?)record.IdempotentId, record.ExternalId)).Order().ToList(),
            found.Flows.Select(flow => (flow.UserId, flow.CheckTime, flow.IdempotentId, flow.ExternalId)).Order().ToList());
        Assert.All(found.Flows, flow => Assert.False(string.IsNullOrEmpty(flow.RecordId)));
        var request = Assert.Single(harness.RequestsTo(SandboxEndpoints.Query));
        Assert.Contains("include_terminated_user=true", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_in_a_query_is_a_permanent_1227500()
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings { KnownUsers = SandboxUsers.Same("u1") });

        var outcome = await harness.Client.QueryFlowsAsync(["ghost"], 1_748_851_200, 1_748_937_599, false, CancellationToken.None);

        Assert.Equal(1227500, Assert.IsType<FeishuQueryOutcome.PermanentFailure>(outcome).Error.Code);
    }

    [Fact]
    public async Task Query_failures_are_classified_like_batch_create()
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings
        {
            Behaviour = new SandboxBehaviour { ReadScopeGranted = false },
        });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.ServerError(), SandboxEndpoints.Query);

        Assert.IsType<FeishuQueryOutcome.TransientFailure>(await harness.Client.QueryFlowsAsync(["u1"], 1_748_851_200, 1_748_851_300, false, CancellationToken.None));
        Assert.Equal(99991672, Assert.IsType<FeishuQueryOutcome.PermanentFailure>(
            await harness.Client.QueryFlowsAsync(["u1"], 1_748_851_200, 1_748_851_300, false, CancellationToken.None)).Error.Code);
    }

    [Fact]
    public async Task Query_arguments_out_of_contract_are_programming_errors()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.QueryFlowsAsync([], 1, 2, false, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.QueryFlowsAsync([.. Enumerable.Range(0, 51).Select(i => "u" + i)], 1, 2, false, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.QueryFlowsAsync(["u1"], 5, 4, false, CancellationToken.None));
        Assert.Equal(0, harness.Sandbox.Requests.Count);
    }
}
