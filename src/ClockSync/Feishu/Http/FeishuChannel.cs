using System.Net.Http.Headers;
using System.Text.Json;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ClockSync.Feishu.Http;

/// <summary>
/// Sends one JSON POST through the app's rate limiter and the resilient HTTP client, and turns whatever happens
/// into a <see cref="FeishuAnswer"/> or a transient <see cref="FeishuFailure"/>. Never throws for a failed call;
/// only the caller's own cancellation escapes.
/// </summary>
internal sealed partial class FeishuChannel(
    IHttpClientFactory httpClientFactory,
    IFeishuCallGate gate,
    TimeProvider timeProvider,
    ILogger<FeishuChannel> logger)
{
    /// <summary>The named client registered by <see cref="FeishuServiceCollectionExtensions.AddFeishuClient"/>.</summary>
    public const string HttpClientName = "ClockSync.Feishu";

    private static readonly MediaTypeHeaderValue JsonUtf8 = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    // When a 429 carries no reset header, wait one window of the documented per-second limit.
    private static readonly TimeSpan DefaultThrottlePause = TimeSpan.FromSeconds(1);

    public async Task<FeishuExchange> PostAsync(
        string appId,
        FeishuCallKind kind,
        string relativeUri,
        byte[] jsonBody,
        string? bearerToken,
        CancellationToken cancellationToken)
    {
        var admission = await gate.EnterAsync(appId, kind, cancellationToken);
        if (!admission.Admitted)
        {
            LogRefused(logger, appId, kind, admission.RefusedBecause);
            return new FeishuExchange.NoAnswer(FeishuFailure.QuotaExhausted(new FeishuCallError(null, admission.RefusedBecause!, null, null)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, relativeUri);
        request.Content = new ByteArrayContent(jsonBody) { Headers = { ContentType = JsonUtf8 } };
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        request.Options.Set(FeishuRequestTags.AppId, appId);
        request.Options.Set(FeishuRequestTags.Kind, kind);

        var client = httpClientFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var answer = Read(response, body, timeProvider.GetUtcNow());
            // 429 with 99991403 is the monthly quota, not the frequency limit: waiting seconds does not help, and the
            // pipeline pauses posting app-wide instead.
            if ((answer.HttpStatus == 429 || answer.Code == FeishuCodes.FrequencyLimit) && answer.Code != FeishuCodes.MonthlyQuotaExhausted)
            {
                var pause = answer.RetryAfter ?? DefaultThrottlePause;
                await gate.ThrottledAsync(appId, pause, cancellationToken);
                LogThrottled(logger, appId, kind, pause.TotalMilliseconds, answer.LogId);
            }

            return new FeishuExchange.Answered(answer);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutRejectedException)
        {
            LogNoAnswer(logger, appId, kind, "timeout");
            return new FeishuExchange.NoAnswer(FeishuFailure.Transient(
                FeishuTransientCause.Timeout, new FeishuCallError(null, "No answer within the HTTP timeout.", null, null)));
        }
        catch (Exception exception) when (exception is HttpRequestException or BrokenCircuitException or IOException)
        {
            LogNoAnswer(logger, appId, kind, exception.GetType().Name);
            var detail = exception is HttpRequestException http ? http.HttpRequestError.ToString() : exception.GetType().Name;
            return new FeishuExchange.NoAnswer(FeishuFailure.Transient(
                FeishuTransientCause.ConnectionFailed, new FeishuCallError(null, $"Connection failed ({detail}).", null, null)));
        }
    }

    internal static FeishuAnswer Read(HttpResponseMessage response, byte[] body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var logId = FeishuResponseHeaders.ReadLogId(response);
        var retryAfter = FeishuResponseHeaders.ReadRetryAfter(response, now);
        var envelope = TryParse(body);
        if (envelope is not { } root || root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("code", out var codeElement) || !codeElement.TryGetInt32(out var code))
        {
            var what = body.Length == 0 ? "an empty body" : "a body that is not the JSON envelope";
            return new FeishuAnswer(status, null, $"HTTP {status} with {what}.", envelope, logId, retryAfter);
        }

        var message = root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() ?? "" : "";
        logId ??= root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("log_id", out var bodyLogId) && bodyLogId.ValueKind == JsonValueKind.String
            ? bodyLogId.GetString()
            : null;
        return new FeishuAnswer(status, code, message, root, logId, retryAfter);
    }

    private static JsonElement? TryParse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feishu throttled {Kind} for app {AppId}; pausing the app's requests for {PauseMs} ms (log id {LogId}).")]
    private static partial void LogThrottled(ILogger logger, string appId, FeishuCallKind kind, double pauseMs, string? logId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feishu {Kind} for app {AppId} not sent: {Reason}")]
    private static partial void LogRefused(ILogger logger, string appId, FeishuCallKind kind, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feishu {Kind} for app {AppId} got no answer: {Reason}.")]
    private static partial void LogNoAnswer(ILogger logger, string appId, FeishuCallKind kind, string reason);
}
