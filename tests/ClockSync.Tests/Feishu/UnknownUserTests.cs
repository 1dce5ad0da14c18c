using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;

namespace ClockSync.Tests.Feishu;

/// <summary>An unknown user never sinks a batch, under both readings of the contract.</summary>
public sealed class UnknownUserTests
{
    private static readonly string[] Known = [.. Enumerable.Range(1, 60).Select(i => "u" + i)];

    public static TheoryData<bool, string, PartialFailureEcho> PartialReadings => new()
    {
        { true, ", ", PartialFailureEcho.AcceptedOnly },
        { true, ",", PartialFailureEcho.AcceptedOnly },
        { false, ", ", PartialFailureEcho.AllRecords },
        { false, ",", PartialFailureEcho.AcceptedOnly },
        { true, ",", PartialFailureEcho.AllRecords },
    };

    [Theory]
    [MemberData(nameof(PartialReadings))]
    public async Task A_partial_success_msg_list_names_exactly_the_failed_records_in_every_reading(
        bool brackets, string separator, PartialFailureEcho echo)
    {
        await using var harness = await StartAsync(UnknownUserMode.PartialSuccess);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with
        {
            PartialFailureMsgBrackets = brackets,
            PartialFailureMsgSeparator = separator,
            PartialFailureEcho = echo,
        };
        var batch = FeishuClientHarness.Records(["u1", "x-1", "u2", "x2"], perUser: 2);

        var outcome = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(outcome);
        Assert.Equal(["x-1", "x2"], partial.FailedUserIds);
        Assert.All(partial.Failures, failure => Assert.Equal(FeishuRecordFailureKind.ListedAsFailed, failure.Kind));
        Assert.All(partial.Failures, failure => Assert.True(failure.IsRetryable));
        Assert.Equal(4, partial.Failures.Count);
        Assert.Equal(batch.Where(record => record.UserId.StartsWith('u')), partial.AcceptedRecords);
        Assert.Equal(["u1", "u1", "u2", "u2"], harness.Sandbox.Ledger.Snapshot().Select(flow => flow.UserId));
        Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_whole_request_1220004_is_isolated_to_the_unknown_user_and_the_rest_lands()
    {
        await using var harness = await StartAsync(UnknownUserMode.WholeRequest1220004);
        var users = Enumerable.Range(1, 10).Select(i => i == 7 ? "ghost" : "u" + i).ToList();
        var batch = FeishuClientHarness.Records(users, perUser: 5);

        var outcome = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(outcome);
        Assert.Equal(["ghost"], partial.UnknownUserIds);
        Assert.Equal(5, partial.Failures.Count);
        Assert.All(partial.Failures, failure =>
        {
            Assert.Equal(FeishuRecordFailureKind.UnknownUser, failure.Kind);
            Assert.False(failure.IsRetryable);
            Assert.Equal(1220004, failure.Error.Code);
            Assert.NotNull(failure.Error.LogId);
        });
        Assert.Equal(45, partial.AcceptedRecords.Count);
        Assert.Equal(45, harness.Sandbox.Ledger.Count);
        Assert.DoesNotContain(harness.Sandbox.Ledger.Snapshot(), flow => flow.UserId == "ghost");

        // Halving: far fewer calls than one per user (1 + at most 2 per level for 10 users).
        Assert.InRange(harness.RequestsTo(SandboxEndpoints.BatchCreate).Count, 2, 1 + (2 * 4));
        Assert.True(harness.RequestsTo(SandboxEndpoints.BatchCreate).Count < 1 + users.Count);
    }

    [Fact]
    public async Task Several_unknown_users_in_a_full_batch_are_each_reported_and_every_good_punch_lands_once()
    {
        await using var harness = await StartAsync(UnknownUserMode.WholeRequest1220004);
        var users = Enumerable.Range(1, 50).Select(i => i is 3 or 26 or 50 ? "ghost" + i : "u" + i).ToList();
        var batch = FeishuClientHarness.Records(users);

        var outcome = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(outcome);
        Assert.Equal(["ghost3", "ghost26", "ghost50"], partial.UnknownUserIds);
        Assert.Equal(47, harness.Sandbox.Ledger.Count);
        Assert.Equal(47, harness.Sandbox.Ledger.Snapshot().Select(flow => flow.IdempotentId).Distinct().Count());
        Assert.True(harness.RequestsTo(SandboxEndpoints.BatchCreate).Count < 50);
    }

    [Fact]
    public async Task A_batch_of_only_unknown_users_is_a_permanent_failure_naming_all_of_them()
    {
        await using var harness = await StartAsync(UnknownUserMode.WholeRequest1220004);

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["g1", "g2", "g3"]), CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.PermanentFailure>(outcome);
        Assert.Equal(1220004, failure.Error.Code);
        Assert.Equal(["g1", "g2", "g3"], failure.FailedUserIds.Order(StringComparer.Ordinal));
        Assert.Equal(0, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_single_unknown_user_batch_costs_one_call()
    {
        await using var harness = await StartAsync(UnknownUserMode.WholeRequest1220004);

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["ghost"], perUser: 4), CancellationToken.None);

        Assert.Equal(["ghost"], Assert.IsType<FeishuBatchOutcome.PermanentFailure>(outcome).FailedUserIds);
        Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_server_fault_while_isolating_stops_the_splitting_and_reports_the_unsent_records_as_transient()
    {
        await using var harness = await StartAsync(UnknownUserMode.WholeRequest1220004);
        harness.Sandbox.Faults.OnCall(2, SandboxFault.ServerError());
        var batch = FeishuClientHarness.Records(["u1", "u2", "u3", "ghost"]);

        var outcome = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
        Assert.Equal(FeishuTransientCause.ServerError, failure.Cause);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count);
        Assert.Equal(0, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_server_fault_after_part_of_the_batch_landed_keeps_both_the_accepted_and_the_retryable_records()
    {
        await using var harness = await StartAsync(UnknownUserMode.WholeRequest1220004);
        // Call 1: whole batch (1220004). Call 2: left half u1,u2 lands. Call 3: u3 alone (right half split) fails.
        harness.Sandbox.Faults.OnCall(3, SandboxFault.ServerError());
        var batch = FeishuClientHarness.Records(["u1", "u2", "u3", "ghost"]);

        var outcome = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

        var partial = Assert.IsType<FeishuBatchOutcome.PartiallyAccepted>(outcome);
        Assert.Equal(["u1", "u2"], partial.AcceptedRecords.Select(record => record.UserId));
        Assert.Equal(["u3", "ghost"], partial.FailedUserIds);
        Assert.All(partial.Failures, failure => Assert.Equal(FeishuRecordFailureKind.Transient, failure.Kind));
        Assert.Equal(["u1", "u2"], harness.Sandbox.Ledger.Snapshot().Select(flow => flow.UserId));
    }

    private static Task<FeishuClientHarness> StartAsync(UnknownUserMode mode) =>
        FeishuClientHarness.StartAsync(new SandboxSettings
        {
            KnownUsers = SandboxUsers.Same(Known),
            Behaviour = new SandboxBehaviour { UnknownUserMode = mode },
        });
}
