namespace ClockSync.Feishu;

/// <summary>How a failed call is classified.</summary>
internal enum FeishuFailureClass
{
    Transient,
    Auth,
    Permanent,

    /// <summary>HTTP 429 with 99991403: the tenant's monthly call quota is used up.</summary>
    QuotaExhausted,
}

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
        // A query over the quota fails the same way a throttled one does: the reconciliation can be run again later.
        FeishuFailureClass.QuotaExhausted => new FeishuQueryOutcome.TransientFailure(FeishuTransientCause.Throttled, Error, RetryAfter),
        _ => new FeishuQueryOutcome.PermanentFailure(Error),
    };
}
