using System.Globalization;
using System.Net.Http.Headers;

namespace ClockSync.Feishu.Http;

/// <summary>Reads the headers the contract names.</summary>
internal static class FeishuResponseHeaders
{
    public const string LogId = "X-Tt-Logid";
    public const string RateLimitReset = "x-ogw-ratelimit-reset";

    /// <summary><c>X-Tt-Logid</c> in any letter case (HTTP header names are case-insensitive).</summary>
    public static string? ReadLogId(HttpResponseMessage response) =>
        response.Headers.TryGetValues(LogId, out var values) ? values.FirstOrDefault(value => value.Length > 0) : null;

    /// <summary>The larger of <c>x-ogw-ratelimit-reset</c> (seconds, may be fractional) and <c>Retry-After</c>.</summary>
    public static TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        TimeSpan? reset = null;
        if (response.Headers.TryGetValues(RateLimitReset, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && double.IsFinite(seconds))
        {
            reset = TimeSpan.FromSeconds(seconds);
        }

        var retryAfter = FromRetryAfter(response.Headers.RetryAfter, now);
        return (reset, retryAfter) switch
        {
            ({ } a, { } b) => a > b ? a : b,
            ({ } a, null) => a,
            (null, var b) => b,
        };
    }

    private static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
