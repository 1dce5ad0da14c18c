using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Flows;

/// <summary>
/// What became of one <c>batch_create</c> (including the calls made to isolate unknown users): a closed set of
/// cases, returned as a value, never thrown.
/// </summary>
public abstract record FeishuBatchOutcome
{
    private FeishuBatchOutcome()
    {
    }

    /// <summary>Every record landed (or was already there: a resend is de-duplicated on <c>idempotent_id</c>).</summary>
    public sealed record Accepted(IReadOnlyList<FeishuFlowRecord> Records) : FeishuBatchOutcome;

    /// <summary>Some records landed, the others are listed with the reason.</summary>
    /// <param name="RetryAfter">The wait the server asked for, when a failure was throttling.</param>
    public sealed record PartiallyAccepted(
        IReadOnlyList<FeishuFlowRecord> AcceptedRecords,
        IReadOnlyList<FeishuRecordFailure> Failures,
        TimeSpan? RetryAfter) : FeishuBatchOutcome
    {
        /// <summary>Every user with at least one failed record, in batch order.</summary>
        public IReadOnlyList<string> FailedUserIds =>
            Failures.Select(failure => failure.Record.UserId).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The users whose records were rejected as unknown (or outside the app's data scope).</summary>
        public IReadOnlyList<string> UnknownUserIds =>
            Failures.Where(failure => failure.Kind == FeishuRecordFailureKind.UnknownUser)
                .Select(failure => failure.Record.UserId)
                .Distinct(StringComparer.Ordinal)
                .ToList();
    }

    /// <summary>Nothing is known to have landed; a later retry of the whole batch may succeed.</summary>
    /// <param name="RetryAfter">The larger of <c>x-ogw-ratelimit-reset</c> and <c>Retry-After</c>, when sent.</param>
    public sealed record TransientFailure(FeishuTransientCause Cause, FeishuCallError Error, TimeSpan? RetryAfter) : FeishuBatchOutcome;

    /// <summary>The tenant token could not be obtained (app id/secret wrong even after re-reading them, app
    /// disabled) or was refused again right after a refresh. Stop posting and tell the operator.</summary>
    public sealed record AuthFailure(FeishuCallError Error) : FeishuBatchOutcome;

    /// <summary>The tenant's monthly call quota is used up (HTTP 429 with code 99991403), or the app's own monthly call
    /// budget is: waiting seconds does not help, so posting stops app-wide and the batch stays pending.</summary>
    public sealed record QuotaExhausted(FeishuCallError Error) : FeishuBatchOutcome;

    /// <summary>Feishu refused the batch for a reason that retrying will not fix (invalid parameter, no
    /// permission, unknown user); park it with the code, message and log id.</summary>
    /// <param name="FailedUserIds">For <c>1220004</c>: exactly the users that were refused; otherwise empty.</param>
    public sealed record PermanentFailure(FeishuCallError Error, IReadOnlyList<string> FailedUserIds) : FeishuBatchOutcome;
}
