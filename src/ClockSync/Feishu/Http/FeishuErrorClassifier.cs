namespace ClockSync.Feishu.Http;

/// <summary>
/// The contract's error tables as code: classify by <c>code</c> first, HTTP status second, so an error answered
/// with HTTP 200 and the same error with HTTP 4xx/5xx are the same.
/// </summary>
internal static class FeishuErrorClassifier
{
    // 1220600 is "permanent unless msg says otherwise": these words are how a message says "later".
    private static readonly string[] RetryHints = ["retry", "try again", "later", "busy", "timeout", "稍后", "重试", "繁忙", "超时"];

    /// <summary>Null for success; otherwise the failure, classified.</summary>
    public static FeishuFailure? ClassifyApiAnswer(FeishuAnswer answer)
    {
        if (answer.Code == FeishuCodes.Success || SaysAlreadyExists(answer.Message))
        {
            // "the object already exists" answers a resent idempotent_id: the record is there, which is what was wanted.
            return null;
        }

        var error = answer.ToError();
        return answer.Code switch
        {
            FeishuCodes.MonthlyQuotaExhausted => FeishuFailure.QuotaExhausted(error),
            FeishuCodes.FrequencyLimit => FeishuFailure.Transient(FeishuTransientCause.Throttled, error, answer.RetryAfter),
            FeishuCodes.InternalError or FeishuCodes.HistoricalInternalError =>
                FeishuFailure.Transient(FeishuTransientCause.ServerError, error, answer.RetryAfter),
            FeishuCodes.MissingAccessToken or FeishuCodes.InvalidTenantToken or FeishuCodes.InvalidAppToken
                or FeishuCodes.InvalidUserToken or FeishuCodes.InvalidTokenFormat or FeishuCodes.TenantIdEmpty =>
                FeishuFailure.Auth(error),
            FeishuCodes.ParameterInvalid or FeishuCodes.UserNotFoundOrNoPermission or FeishuCodes.NoDataPermission
                or FeishuCodes.ShiftServiceError or FeishuCodes.ScopeNotGranted or FeishuCodes.NoPermission
                or FeishuCodes.UserScopeNotGranted => FeishuFailure.Permanent(error),
            FeishuCodes.GenericAttendanceError => SaysRetry(answer.Message)
                ? FeishuFailure.Transient(FeishuTransientCause.ServerError, error, answer.RetryAfter)
                : FeishuFailure.Permanent(error),
            null => ClassifyByStatus(answer, error, unreadable: true),
            _ => ClassifyByStatus(answer, error, unreadable: false),
        };
    }

    /// <summary>
    /// The token endpoint: a readable non-zero code that is not throttling or a server fault means the app id or
    /// secret is wrong or the app is disabled (10003, 10014, …) — an auth failure, not something to retry.
    /// </summary>
    public static FeishuFailure? ClassifyTokenAnswer(FeishuAnswer answer)
    {
        if (answer.Code is null && answer.HttpStatus is >= 400 and < 500)
        {
            // Not the envelope (a gateway's HTML page, an empty body): Feishu did not judge the credentials at all.
            return FeishuFailure.Transient(FeishuTransientCause.UnreadableAnswer, answer.ToError(), answer.RetryAfter);
        }

        var failure = ClassifyApiAnswer(answer);
        return failure is { Class: FeishuFailureClass.Permanent } ? FeishuFailure.Auth(failure.Error) : failure;
    }

    /// <summary>
    /// Feishu does not know the user (or it is outside the app's data scope): <c>1220004</c>, or <c>1220600</c> whose
    /// msg says the name or employee number is invalid.
    /// </summary>
    public static bool IsUnknownUser(FeishuCallError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == FeishuCodes.UserNotFoundOrNoPermission
            || (error.Code == FeishuCodes.GenericAttendanceError && error.Message.Contains("employee_no invalid", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>1220600</c> saying the attendance result has been sealed (封账): that month takes no more punches.</summary>
    public static bool IsSealedPeriod(FeishuCallError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == FeishuCodes.GenericAttendanceError && error.Message.Contains("sealed", StringComparison.OrdinalIgnoreCase);
    }

    private static bool SaysAlreadyExists(string message) =>
        message.Contains("the object already exists", StringComparison.OrdinalIgnoreCase);

    private static FeishuFailure ClassifyByStatus(FeishuAnswer answer, FeishuCallError error, bool unreadable)
    {
        var status = answer.HttpStatus;
        if (status == 429)
        {
            return FeishuFailure.Transient(FeishuTransientCause.Throttled, error, answer.RetryAfter);
        }

        if (status >= 500 || status == 408)
        {
            return FeishuFailure.Transient(
                unreadable ? FeishuTransientCause.UnreadableAnswer : FeishuTransientCause.ServerError, error, answer.RetryAfter);
        }

        if (status == 401)
        {
            return FeishuFailure.Auth(error);
        }

        // A 2xx that is not the envelope cannot say whether the records landed; resending is safe (idempotent_id).
        if (unreadable && status is >= 200 and < 300)
        {
            return FeishuFailure.Transient(FeishuTransientCause.UnreadableAnswer, error, answer.RetryAfter);
        }

        return FeishuFailure.Permanent(error);
    }

    private static bool SaysRetry(string message) =>
        RetryHints.Any(hint => message.Contains(hint, StringComparison.OrdinalIgnoreCase));
}
