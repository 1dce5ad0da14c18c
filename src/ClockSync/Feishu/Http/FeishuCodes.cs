namespace ClockSync.Feishu.Http;

/// <summary>The envelope codes the contract names.</summary>
public static class FeishuCodes
{
    public const int Success = 0;

    // Token endpoint: the app id/secret are wrong or the app is disabled.
    public const int TokenInvalidParameter = 10003;
    public const int TokenAppSecretInvalid = 10014;

    // Attendance.
    public const int ParameterInvalid = 1220001;
    public const int TenantIdEmpty = 1220002;
    public const int UserNotFoundOrNoPermission = 1220004;
    public const int NoDataPermission = 1220005;
    public const int InternalError = 1225000;
    public const int HistoricalInternalError = 1226500;
    public const int ShiftServiceError = 1227500;
    public const int GenericAttendanceError = 1220600;

    // Platform.
    public const int FrequencyLimit = 99991400;

    /// <summary>With HTTP 429: the tenant's monthly call quota is used up (not the frequency limit).</summary>
    public const int MonthlyQuotaExhausted = 99991403;
    public const int MissingAccessToken = 99991661;
    public const int InvalidTenantToken = 99991663;
    public const int InvalidAppToken = 99991664;
    public const int InvalidUserToken = 99991668;
    public const int InvalidTokenFormat = 99991671;
    public const int ScopeNotGranted = 99991672;
    public const int NoPermission = 99991676;
    public const int UserScopeNotGranted = 99991679;
}
