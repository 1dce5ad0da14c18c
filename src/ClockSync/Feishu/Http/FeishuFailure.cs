using ClockSync.Feishu.Flows;

namespace ClockSync.Feishu.Http;

/// <summary>A failed call, classified, before it becomes an endpoint's outcome.</summary>
internal sealed record FeishuFailure(
    FeishuFailureClass Class,
    FeishuTransientCause Cause,
    FeishuCallError Error,
    TimeSpan? RetryAfter)
{
    public static FeishuFailure Transient(FeishuTransientCause cause, FeishuCallError error, TimeSpan? retryAfter = null) =>
        new(FeishuFailureClass.Transient, cause, error, retryAfter);

    public static FeishuFailure Auth(FeishuCallError error) =>
        new(FeishuFailureClass.Auth, default, error, null);

    public static FeishuFailure Permanent(FeishuCallError error) =>
        new(FeishuFailureClass.Permanent, default, error, null);

    public static FeishuFailure QuotaExhausted(FeishuCallError error) =>
        new(FeishuFailureClass.QuotaExhausted, default, error, null);

    public FeishuBatchOutcome ToBatchOutcome(IReadOnlyList<string> failedUserIds) => Class switch
    {
        FeishuFailureClass.Transient => new FeishuBatchOutcome.TransientFailure(Cause, Error, RetryAfter),
        FeishuFailureClass.Auth => new FeishuBatchOutcome.AuthFailure(Error),
        FeishuFailureClass.QuotaExhausted => new FeishuBatchOutcome.QuotaExhausted(Error),
        _ => new FeishuBatchOutcome.PermanentFailure(Error, failedUserIds),
    };

    public FeishuQueryOutcome ToQueryOutcome() => Class switch
    {
        FeishuFailureClass.Transient => new FeishuQueryOutcome.TransientFailure(Cause, Error, RetryAfter),
        FeishuFailureClass.Auth => new FeishuQueryOutcome.AuthFailure(Error),

        // Quota exhausted included: a reconciliation cannot wait for next month, it reports the reason.
        _ => new FeishuQueryOutcome.PermanentFailure(Error),
    };
}
