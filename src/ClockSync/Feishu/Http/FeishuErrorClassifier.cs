namespace ClockSync.Feishu;

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
        if (answer.Code == FeishuCodes.Success)
        {
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
        var failure = ClassifyApiAnswer(answer);
        return failure is { Class: FeishuFailureClass.Permanent } ? FeishuFailure.Auth(failure.Error) : failure;
    }

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
