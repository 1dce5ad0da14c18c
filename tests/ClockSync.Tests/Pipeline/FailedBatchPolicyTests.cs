using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Pipeline.Failures;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using Microsoft.Extensions.Options;

namespace ClockSync.Tests.Pipeline;

/// <summary>The one rule book for what a Feishu outcome means for the records posted.</summary>
public sealed class FailedBatchPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset QuotaEnds = Now.AddHours(5);
    private static readonly FeishuCallError Error = new(1225000, "internal", 500, "log-1");

    private static readonly RetryOptions Options = new() { MaxAttempts = 3, AuthFailuresBeforeParking = 2 };

    private static readonly FailedBatchPolicy Policy = new(new RetryBackoff(Options, new Random(1)), Microsoft.Extensions.Options.Options.Create(Options));

    private static readonly List<BatchRecord> Records = [Record("u1", 1), Record("u1", 2), Record("ghost", 3), Record("u2", 4)];

    [Fact]
    public void The_quota_keeps_everything_pending_until_it_resumes_without_counting_the_attempt_even_past_the_last_attempt()
    {
        var decision = Policy.Decide(new FeishuBatchOutcome.QuotaExhausted(new FeishuCallError(99991403, "quota", 429, "q")), Records, attempt: 99, 0, Now, QuotaEnds);

        var pending = Assert.IsType<FailedBatchPart>(decision.Pending);
        Assert.Equal((4, QuotaEnds, false), (pending.Records.Count, pending.NextDueUtc, pending.AttemptCounted));
        Assert.Empty(decision.Parked);
    }

    [Fact]
    public void A_transient_failure_waits_until_the_last_attempt_then_parks_naming_the_users()
    {
        var early = Policy.Decide(new FeishuBatchOutcome.TransientFailure(FeishuTransientCause.ServerError, Error, null), Records, attempt: 2, 0, Now, QuotaEnds);
        var last = Policy.Decide(new FeishuBatchOutcome.TransientFailure(FeishuTransientCause.ServerError, Error, null), Records, attempt: 3, 0, Now, QuotaEnds);

        Assert.True(early.Pending!.NextDueUtc > Now);
        Assert.Null(last.Pending);
        Assert.Contains("gave up after 3 attempts", Assert.Single(last.Parked).Reason, StringComparison.Ordinal);
        Assert.Contains("ghost", last.Parked[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auth_failures_park_only_after_enough_in_a_row()
    {
        var auth = new FeishuBatchOutcome.AuthFailure(new FeishuCallError(10014, "secret invalid", 400, null));

        var first = Policy.Decide(auth, Records, attempt: 1, authFailuresBefore: 0, Now, QuotaEnds);
        var second = Policy.Decide(auth, Records, attempt: 2, authFailuresBefore: 1, Now, QuotaEnds);

        Assert.Equal(1, first.Pending!.AuthFailures);
        Assert.Equal(FailedBatchPolicy.AuthParkReason, Assert.Single(second.Parked).Reason);
    }

    [Fact]
    public void Refused_users_are_held_never_parked_and_the_rest_is_posted()
    {
        var ghost = Records[2].ToFlowRecord();
        var partial = new FeishuBatchOutcome.PartiallyAccepted(
            [.. Records.Where(record => record.UserId != "ghost").Select(record => record.ToFlowRecord())],
            [new FeishuRecordFailure(ghost, FeishuRecordFailureKind.ListedAsFailed, "listed", Error)],
            null);
        var whole = new FeishuBatchOutcome.PermanentFailure(new FeishuCallError(1220004, "user not exist", 400, "l"), ["ghost"]);

        var fromPartial = Policy.Decide(partial, Records, attempt: 1, 0, Now, QuotaEnds);
        var fromWhole = Policy.Decide(whole, [Records[2]], attempt: 1, 0, Now, QuotaEnds);

        Assert.Equal(3, fromPartial.Posted.Count);
        Assert.Equal(["ghost"], Assert.Single(fromPartial.Held).Records.Select(record => record.UserId));
        Assert.Empty(fromPartial.Parked);
        Assert.Null(fromPartial.Pending);
        Assert.Equal(1, fromWhole.PunchesHeld);
        Assert.Empty(fromWhole.Parked);
    }

    [Fact]
    public void A_sealed_period_parks_with_what_to_do_and_other_refusals_park_with_the_code()
    {
        var sealedError = new FeishuCallError(1220600, "the attendance result has been sealed and can not modify", 400, "s");
        var scope = new FeishuCallError(1220005, "no permission", 400, "p");

        var sealedPeriod = Policy.Decide(new FeishuBatchOutcome.PermanentFailure(sealedError, []), Records, 1, 0, Now, QuotaEnds);
        var noScope = Policy.Decide(new FeishuBatchOutcome.PermanentFailure(scope, []), Records, 1, 0, Now, QuotaEnds);

        Assert.Equal(FailedBatchPolicy.SealedParkReason, Assert.Single(sealedPeriod.Parked).Reason);
        Assert.Contains("1220005", Assert.Single(noScope.Parked).Reason, StringComparison.Ordinal);
        Assert.Equal(4, sealedPeriod.PunchesParked);
    }

    [Fact]
    public void Parked_part_keys_differ_from_the_row_being_retried_and_across_re_queue_rounds()
    {
        var row = new ClockSync.Storage.Failures.FailedBatchEntity { PartitionKey = "imp", RowKey = "000001-p1", BatchNo = 1 };

        var roundZero = ClockSync.Pipeline.FailureRows.ParkedPartKey(row, attempt: 1, index: 0);
        row.Requeues = 1;
        var roundOne = ClockSync.Pipeline.FailureRows.ParkedPartKey(row, attempt: 1, index: 0);

        Assert.NotEqual(row.RowKey, roundZero);
        Assert.NotEqual(row.RowKey, roundOne);
        Assert.NotEqual(roundZero, roundOne);
    }

    private static BatchRecord Record(string user, int n) => new(user, "Gate", 1_748_851_200 + n, "考勤机", "fp-" + n, n);
}
