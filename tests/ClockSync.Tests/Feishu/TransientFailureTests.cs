using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Feishu;

public sealed class TransientFailureTests
{
    [Theory]
    [InlineData(true, false, 1.5)]
    [InlineData(false, false, 2.0)]
    [InlineData(true, true, 2.0)]
    public async Task A_429_is_transient_with_the_larger_of_the_reset_and_retry_after_headers(bool fractionalReset, bool retryAfterHeader, double expectedSeconds)
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings
        {
            RateLimit = new SandboxRateLimit(50, FractionalReset: fractionalReset, RetryAfterHeader: retryAfterHeader),
        });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Throttle(TimeSpan.FromSeconds(1.5)));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
        Assert.Equal(FeishuTransientCause.Throttled, failure.Cause);
        Assert.Equal(99991400, failure.Error.Code);
        Assert.Equal(429, failure.Error.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), failure.RetryAfter);
        Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_99991400_answered_with_http_200_is_throttling_too()
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings
        {
            Behaviour = new SandboxBehaviour { ErrorStatus = ErrorStatusStyle.AlwaysHttp200 },
        });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Throttle(TimeSpan.FromSeconds(0.25)));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
        Assert.Equal((FeishuTransientCause.Throttled, 200), (failure.Cause, failure.Error.HttpStatus));
        Assert.Equal(TimeSpan.FromSeconds(0.25), failure.RetryAfter);
    }

    [Fact]
    public async Task A_429_pauses_every_caller_of_the_app_until_the_reset_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await FeishuClientHarness.StartAsync(timeProvider: time);
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Throttle(TimeSpan.FromSeconds(1.5)));
        Assert.IsType<FeishuBatchOutcome.TransientFailure>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None));
        var sentBefore = harness.Sandbox.Requests.Count;

        // Token cached, so both calls go straight to the limiter, which holds them until the reset has passed.
        var first = harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u2")], CancellationToken.None);
        var second = harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u3")], CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1.4));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(sentBefore, harness.Sandbox.Requests.Count);

        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await first);
        time.Advance(TimeSpan.FromSeconds(0.02));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await second);
        Assert.Equal(2, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_5xx_html_page_is_a_transient_unreadable_answer()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.GatewayHtml(502));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
        Assert.Equal(FeishuTransientCause.UnreadableAnswer, failure.Cause);
        Assert.Equal((null, 502), (failure.Error.Code, failure.Error.HttpStatus));
        Assert.Equal(harness.RequestsTo(SandboxEndpoints.BatchCreate).Single().LogId, failure.Error.LogId);
    }

    [Fact]
    public async Task An_answer_slower_than_the_http_timeout_is_a_transient_timeout_and_is_not_re_posted()
    {
        await using var harness = await FeishuClientHarness.StartAsync(
            clientSettings: new Dictionary<string, string?> { ["HttpTimeout"] = "00:00:00.300" });
        var slow = harness.Sandbox.Faults.NextCalls(1, SandboxFault.Slow(TimeSpan.FromMinutes(5)));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.Equal(FeishuTransientCause.Timeout, Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome).Cause);
        Assert.Equal(1, slow.Fired);
        await harness.Sandbox.Requests.WaitForCountAsync(2);
        var request = Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
        Assert.Equal(SandboxRequestOutcome.ClientAborted, request.Outcome);
        Assert.Equal(1, harness.Calls(FeishuCallKind.BatchCreate));
        Assert.Equal(0, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_dropped_connection_without_transport_retries_is_a_transient_connection_failure()
    {
        await using var harness = await FeishuClientHarness.StartAsync(
            clientSettings: new Dictionary<string, string?> { ["TransportRetryCount"] = "0" });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.DropConnection());

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.Equal(FeishuTransientCause.ConnectionFailed, Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome).Cause);
        Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }

    [Fact]
    public async Task A_dropped_connection_is_re_sent_by_the_transport_handler_and_both_attempts_are_counted()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.DropConnection());

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
        Assert.Equal(
            [SandboxRequestOutcome.Dropped, SandboxRequestOutcome.Answered],
            harness.RequestsTo(SandboxEndpoints.BatchCreate).Select(request => request.Outcome));
        Assert.Equal(2, harness.Calls(FeishuCallKind.BatchCreate));
        Assert.Equal(1, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task Accepted_but_response_lost_then_resent_by_the_pipeline_is_in_the_ledger_once()
    {
        await using var harness = await FeishuClientHarness.StartAsync(
            clientSettings: new Dictionary<string, string?> { ["TransportRetryCount"] = "0" });
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.RecordThenDropConnection());
        var batch = FeishuClientHarness.Records(["u1", "u2"], perUser: 3);

        Assert.IsType<FeishuBatchOutcome.TransientFailure>(await harness.Client.BatchCreateAsync(batch, CancellationToken.None));
        Assert.Equal(6, harness.Sandbox.Ledger.Count);

        var resend = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(resend);
        Assert.Equal(6, harness.Sandbox.Ledger.Count);
        Assert.Equal(batch.Select(record => record.IdempotentId), harness.Sandbox.Ledger.Snapshot().Select(flow => flow.IdempotentId));
    }

    [Fact]
    public async Task Accepted_but_response_lost_is_resent_by_the_transport_handler_and_stored_once()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.RecordThenDropConnection());

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1", "u2"]), CancellationToken.None);

        Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
        Assert.Equal(2, harness.RequestsTo(SandboxEndpoints.BatchCreate).Count);
        Assert.Equal(2, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task Accepted_then_answered_500_is_transient_and_the_resend_is_stored_once()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.RecordThenServerError());
        var batch = FeishuClientHarness.Records(["u1"]);

        Assert.IsType<FeishuBatchOutcome.TransientFailure>(await harness.Client.BatchCreateAsync(batch, CancellationToken.None));
        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync(batch, CancellationToken.None));

        Assert.Equal(1, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_an_outcome_but_a_cancellation()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        using var cancellation = new CancellationTokenSource();
        var slow = harness.Sandbox.Faults.NextCalls(1, SandboxFault.Slow(TimeSpan.FromMinutes(5)));

        var call = harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], cancellation.Token);
        await slow.WaitUntilFiredAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
