using System.Globalization;
using System.Net.Http.Headers;
using ClockSync.FeishuSandbox.Wire;
using Microsoft.Net.Http.Headers;
using MediaTypeHeaderValue = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>The checks every attendance call passes before its body is read: bearer token, rate limit, scope,
/// content type and <c>employee_type</c>.</summary>
internal sealed class ApiGate(SandboxRuntime runtime)
{
    /// <summary>Returns a reply when the request must stop here, else <c>null</c> with the app id set on the exchange.</summary>
    public SandboxReply? Check(SandboxExchange exchange, bool scopeGranted)
    {
        var behaviour = runtime.Tenant.Behaviour;
        if (Admit(exchange) is { } refused)
        {
            return refused;
        }

        if (!runtime.Quota.TryTake())
        {
            // Contract §4: the same status as throttling, another code; waiting does not help.
            return SandboxReply.Error(behaviour, 429, FeishuCodes.MonthlyQuotaExhausted, "request quota exceeded: the tenant's monthly API call quota is used up", exchange.LogId);
        }

        exchange.QuotaTaken = true;

        if (!scopeGranted)
        {
            // Contract §2 platform table: 99991672, HTTP 400/403.
            return SandboxReply.Error(behaviour, 403, FeishuCodes.ScopeNotGranted, "app scope not granted: attendance", exchange.LogId);
        }

        if (!IsJson(exchange.Http.Request.ContentType))
        {
            return SandboxReply.Error(
                behaviour, 400, FeishuCodes.ParameterInvalid, "param is invalid: Content-Type must be application/json", exchange.LogId);
        }

        var employeeType = exchange.Http.Request.Query["employee_type"].ToString();
        if (!SandboxTenant.IsEmployeeType(employeeType))
        {
            // Contract §2 error table: 1220001 "employee_type invalid".
            return SandboxReply.Error(behaviour, 400, FeishuCodes.ParameterInvalid, "param is invalid: employee_type invalid", exchange.LogId);
        }

        return null;
    }

    /// <summary>The checks every Open API call passes: bearer token, then the app's rate limit for the endpoint. Returns
    /// a reply when the request must stop here, else <c>null</c> with the app id set on the exchange.</summary>
    public SandboxReply? Admit(SandboxExchange exchange)
    {
        var behaviour = runtime.Tenant.Behaviour;
        if (Authenticate(exchange, behaviour) is { } authFailure)
        {
            return authFailure;
        }

        var (allowed, retryAfter) = runtime.Limiter.TryAcquire(exchange.AppId!, exchange.Endpoint);
        return allowed ? null : Throttled(behaviour, runtime.Limiter.Limit, retryAfter, exchange.LogId);
    }

    /// <summary>429 + 99991400 + the two rate-limit headers (docs/feishu-contract.md §2 platform table and headers).</summary>
    public static SandboxReply Throttled(SandboxBehaviour behaviour, SandboxRateLimit limit, TimeSpan retryAfter, string logId)
    {
        var seconds = Math.Max(retryAfter.TotalSeconds, 0.001);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-ogw-ratelimit-limit"] = Math.Ceiling(Math.Max(limit.RequestsPerSecond, 1)).ToString(CultureInfo.InvariantCulture),
            ["x-ogw-ratelimit-reset"] = limit.FractionalReset
                ? seconds.ToString("0.###", CultureInfo.InvariantCulture)
                : Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture),
        };
        if (limit.RetryAfterHeader)
        {
            headers[HeaderNames.RetryAfter] = Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture);
        }

        return SandboxReply.Error(behaviour, 429, FeishuCodes.FrequencyLimit, "request trigger frequency limit", logId) with { Headers = headers };
    }

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Bearer token check (docs/feishu-contract.md §2 platform table: 99991661 missing, 99991663 invalid/expired).</summary>
    private SandboxReply? Authenticate(SandboxExchange exchange, SandboxBehaviour behaviour)
    {
        var header = exchange.Http.Request.Headers.Authorization.ToString();
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(parsed.Parameter))
        {
            return SandboxReply.Error(
                behaviour, behaviour.AuthErrorHttpStatus, FeishuCodes.MissingAccessToken,
                "missing access token for authorization", exchange.LogId);
        }

        var appId = runtime.Tenant.ValidateToken(parsed.Parameter);
        if (appId is null)
        {
            return SandboxReply.Error(
                behaviour, behaviour.AuthErrorHttpStatus, FeishuCodes.InvalidAccessToken,
                "invalid access token for authorization: the tenant access token is invalid or expired", exchange.LogId);
        }

        exchange.AppId = appId;
        return null;
    }
}
