namespace ClockSync.FeishuSandbox.Wire;

/// <summary>The codes of docs/feishu-contract.md §1 and §2 the sandbox answers.</summary>
internal static class FeishuCodes
{
    public const int Ok = 0;

    // §1 token endpoint [seen, unconfirmed].
    public const int InvalidParam = 10003;
    public const int AppSecretInvalid = 10014;

    // §2 batch_create error table [doc].
    public const int ParameterInvalid = 1220001;
    public const int UserNotFound = 1220004;
    public const int InternalError = 1225000;

    // §4a: generic attendance error; the msg says which (sealed period, invalid employee_no).
    public const int AttendanceError = 1220600;

    // §3 query [doc]: shift service, e.g. user not found.
    public const int ShiftServiceError = 1227500;

    // §4c im/v1/messages: a request parameter (receiver, content) is wrong; the bot is not in the chat; the chat's own
    // send limit (5 a second) was hit — answered with HTTP 400, not 429; the card content cannot be built.
    public const int MessageInvalidParam = 230001;
    public const int BotNotInChat = 230002;
    public const int MessageFrequencyLimit = 230020;
    public const int CardContentInvalid = 230099;

    // Platform-wide: a query or body field fails validation (e.g. an unknown receive_id_type).
    public const int FieldValidationFailed = 99992402;

    // §2 platform-wide codes [seen].
    public const int FrequencyLimit = 99991400;

    // §4 [doc]: with HTTP 429, the tenant's monthly call quota is used up.
    public const int MonthlyQuotaExhausted = 99991403;
    public const int MissingAccessToken = 99991661;
    public const int InvalidAccessToken = 99991663;
    public const int ScopeNotGranted = 99991672;
}
