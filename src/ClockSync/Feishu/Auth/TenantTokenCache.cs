using System.Collections.Concurrent;
using System.Text.Json;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Http;
using ClockSync.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Feishu.Auth;

/// <summary>
/// Tenant access tokens per app: fetched from <c>auth/v3/tenant_access_token/internal</c>, shared by every caller,
/// with at most one fetch in flight per app, refreshed ahead of expiry, dropped on an invalid-token answer.
/// </summary>
internal sealed partial class TenantTokenCache(
    FeishuChannel channel,
    IFeishuAppCredentialsProvider credentials,
    IOptionsMonitor<FeishuOptions> options,
    TimeProvider timeProvider,
    ILogger<TenantTokenCache> logger)
{
    internal const string TokenPath = "open-apis/auth/v3/tenant_access_token/internal";

    // A token this close to its expiry is not worth sending: it could expire on the way.
    private static readonly TimeSpan ExpirySafety = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>A usable token for the configured app, fetching one if needed.</summary>
    public async Task<TokenResult> GetAsync(CancellationToken cancellationToken)
    {
        FeishuAppCredentials current;
        try
        {
            current = await credentials.GetAsync(forceRefresh: false, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The secrets store is unreachable: a token fetched earlier is still the app's, and good until it expires.
            if (_lastIssued is { } still && timeProvider.GetUtcNow() < still.ExpiresAt - ExpirySafety)
            {
                return new TokenResult.Issued(still);
            }

            return CredentialsUnavailable(exception);
        }

        var slot = _slots.GetOrAdd(current.AppId, static _ => new Slot());
        Task<TokenResult> refresh;
        lock (slot.Gate)
        {
            if (slot.Token is { } cached && timeProvider.GetUtcNow() < cached.RefreshAt)
            {
                return new TokenResult.Issued(cached);
            }

            // The fetch is shared, so no caller's cancellation may cancel it; the HTTP timeout bounds it.
            refresh = slot.Refresh ??= FetchAndStoreAsync(slot, current);
        }

        var result = await refresh.WaitAsync(cancellationToken);
        if (result is TokenResult.Failed && slot.Token is { } previous && timeProvider.GetUtcNow() < previous.ExpiresAt - ExpirySafety)
        {
            // The refresh ahead of expiry failed, but the old token is still good for a while: keep posting.
            return new TokenResult.Issued(previous);
        }

        return result;
    }

    /// <summary>
    /// A call was refused with an invalid/expired-token code: forget <paramref name="token"/> so the next
    /// <see cref="GetAsync"/> fetches again. A newer token fetched meanwhile by another caller is kept.
    /// </summary>
    public void Invalidate(FeishuTenantToken token)
    {
        if (_slots.TryGetValue(token.AppId, out var slot))
        {
            lock (slot.Gate)
            {
                if (ReferenceEquals(slot.Token, token) || slot.Token?.Value == token.Value)
                {
                    slot.Token = null;
                    LogInvalidated(logger, token.AppId);
                }
            }
        }
    }

    private async Task<TokenResult> FetchAndStoreAsync(Slot slot, FeishuAppCredentials current)
    {
        // Return to the caller (who holds the slot's lock) before doing anything, so clearing slot.Refresh below
        // always happens after it was set.
        await Task.Yield();
        TokenResult result;
        try
        {
            result = await FetchWithRotationAsync(current);
        }
        catch (Exception exception)
        {
            result = new TokenResult.Failed(FeishuFailure.Transient(
                FeishuTransientCause.ConnectionFailed,
                new FeishuCallError(null, $"Token request failed ({exception.GetType().Name}).", null, null)));
        }

        lock (slot.Gate)
        {
            if (result is TokenResult.Issued issued)
            {
                slot.Token = issued.Token;
                _lastIssued = issued.Token;
            }

            slot.Refresh = null;
        }

        return result;
    }

    private async Task<TokenResult> FetchWithRotationAsync(FeishuAppCredentials current)
    {
        var first = await RequestAsync(current);
        if (first is not TokenResult.Failed { Failure.Class: FeishuFailureClass.Auth } refused)
        {
            return first;
        }

        // The secret may have been rotated: re-read it once, then give up (no retry burn on a bad secret).
        LogRejectedCredentials(logger, current.AppId, refused.Failure.Error.Code);
        FeishuAppCredentials fresh;
        try
        {
            fresh = await credentials.GetAsync(forceRefresh: true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return CredentialsUnavailable(exception);
        }

        return await RequestAsync(fresh);
    }

    private async Task<TokenResult> RequestAsync(FeishuAppCredentials app)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new TokenRequest(app.AppId, app.Secret.Reveal()), FeishuJsonContext.Default.TokenRequest);
        var exchange = await channel.PostAsync(app.AppId, FeishuCallKind.TenantToken, TokenPath, body, null, CancellationToken.None);
        if (exchange is FeishuExchange.NoAnswer none)
        {
            return new TokenResult.Failed(none.Failure);
        }

        var answer = ((FeishuExchange.Answered)exchange).Answer;
        if (FeishuErrorClassifier.ClassifyTokenAnswer(answer) is { } failure)
        {
            return new TokenResult.Failed(failure);
        }

        if (!TryReadToken(answer, out var value, out var expireSeconds))
        {
            return new TokenResult.Failed(FeishuFailure.Transient(
                FeishuTransientCause.UnreadableAnswer,
                new FeishuCallError(answer.Code, "Token answer without tenant_access_token/expire.", answer.HttpStatus, answer.LogId)));
        }

        var now = timeProvider.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(expireSeconds);
        // Refresh when less than the margin remains, but never sooner than half-way: Feishu answers a token with
        // barely more than 30 minutes left unchanged, and refreshing it at once again would loop.
        var margin = options.CurrentValue.TokenRefreshMargin;
        var refreshAfter = lifetime - margin > lifetime / 2 ? lifetime - margin : lifetime / 2;
        var token = new FeishuTenantToken(app.AppId, value, now + lifetime, now + refreshAfter);
        LogIssued(logger, app.AppId, expireSeconds);
        return new TokenResult.Issued(token);
    }

    // The contract says top-level fields; a data wrapper is read too, in case a gateway adds one.
    internal static bool TryReadToken(FeishuAnswer answer, out string value, out long expireSeconds)
    {
        value = "";
        expireSeconds = 0;
        if (answer.Body is not { } root)
        {
            return false;
        }

        var holder = root.TryGetProperty("tenant_access_token", out _) ? root
            : root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data
            : root;
        if (!holder.TryGetProperty("tenant_access_token", out var token) || token.ValueKind != JsonValueKind.String
            || !holder.TryGetProperty("expire", out var expire) || !expire.TryGetInt64(out expireSeconds) || expireSeconds <= 0)
        {
            return false;
        }

        value = token.GetString() ?? "";
        return value.Length > 0;
    }

    private TokenResult.Failed CredentialsUnavailable(Exception exception)
    {
        LogCredentialsUnavailable(logger, exception.GetType().Name);
        // Transient, never auth: nothing says the credentials are wrong, only that they could not be read just now (a
        // Key Vault blip must not park batches as "Feishu refused the app credentials").
        return new TokenResult.Failed(FeishuFailure.Transient(
            FeishuTransientCause.ConnectionFailed,
            new FeishuCallError(null, $"Feishu app credentials are unavailable ({exception.GetType().Name}).", null, null)));
    }

    private volatile FeishuTenantToken? _lastIssued;

    private sealed class Slot
    {
        public Lock Gate { get; } = new();

        public FeishuTenantToken? Token { get; set; }

        public Task<TokenResult>? Refresh { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feishu issued a tenant token for app {AppId}, valid {ExpireSeconds} s.")]
    private static partial void LogIssued(ILogger logger, string appId, long expireSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped the cached tenant token of app {AppId}: Feishu refused it.")]
    private static partial void LogInvalidated(ILogger logger, string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token endpoint refused app {AppId} (code {Code}); re-reading the credentials once.")]
    private static partial void LogRejectedCredentials(ILogger logger, string appId, int? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feishu app credentials could not be read ({ExceptionType}).")]
    private static partial void LogCredentialsUnavailable(ILogger logger, string exceptionType);
}
