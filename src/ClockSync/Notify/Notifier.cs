using System.Globalization;
using System.Text.Json.Nodes;
using ClockSync.Feishu.Http;
using ClockSync.Feishu.Messages;
using ClockSync.Notify.Cards;
using ClockSync.Storage.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Notify;

/// <summary>
/// Sends ClockSync's cards to the configured chat under their rules: an import's card once, the posting-stopped card
/// once per stop and the resumed card once after it, the credentials card at most once an hour, the parked digest at
/// most once per <see cref="NotifyOptions.ParkedDigestInterval"/>. Each rule is a marker claimed in the
/// <see cref="NotificationStore"/> before the send, so of several instances exactly one sends.
/// </summary>
/// <remarks>
/// Never throws but for the caller's cancellation, and never retries: a card that cannot be sent (Feishu refuses it,
/// the marker table is unreachable, anything else) is logged and dropped, so notification can neither fail nor hold up an import.
/// A claim stays taken when its send fails: at most once is the promise, not at least once.
/// </remarks>
public sealed partial class Notifier(
    IOptionsMonitor<NotifyOptions> options,
    NotificationStore markers,
    IFeishuMessageClient messages,
    TimeProvider time,
    ILogger<Notifier> logger)
{
    internal const string ImportKind = "import";
    internal const string ConditionKind = "condition";
    internal const string PostingKey = "posting";
    internal const string CredentialsKey = "credentials";
    internal const string ParkedDigestKey = "parked-digest";
    internal const string Running = "running";
    internal const string Stopped = "stopped";

    /// <summary>Contract: the credentials card at most once an hour.</summary>
    public static readonly TimeSpan CredentialsInterval = TimeSpan.FromHours(1);

    /// <summary>Whether a chat is configured.</summary>
    public bool Enabled => options.CurrentValue.Enabled;

    /// <summary>Whether the import's card was claimed (sent, or tried) already.</summary>
    public async Task<bool> IsImportNotifiedAsync(string importId, CancellationToken cancellationToken)
    {
        try
        {
            return await markers.ExistsAsync(ImportKind, importId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMarkerFailed(logger, ImportKind, exception.GetType().Name, exception.Message);
            return false;
        }
    }

    /// <summary>Sends an import's card unless it was sent before; the import id is also the <c>uuid</c>, so Feishu
    /// drops a resend too.</summary>
    public Task<bool> SendImportCardAsync(string importId, JsonObject card, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        return SendAsync(ImportKind, importId, card, uuid: importId,
            (now, ct) => markers.TryClaimOnceAsync(ImportKind, importId, now, ct), cancellationToken);
    }

    /// <summary>Posting stopped for the whole app (quota or budget): once per stop.</summary>
    public Task<bool> NotifyPostingStoppedAsync(string cause, long? callsThisMonth, long? budget, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return SendAsync(ConditionKind, PostingKey, ConditionCards.QuotaExhausted(cause, now, callsThisMonth, budget), Uuid(Stopped, now),
            (at, ct) => markers.TrySwitchStateAsync(ConditionKind, PostingKey, Running, Stopped, at, ct), cancellationToken);
    }

    /// <summary>Posting runs again: once, and only after a stop was announced.</summary>
    public Task<bool> NotifyPostingResumedAsync(string? why, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return SendAsync(ConditionKind, PostingKey, ConditionCards.PostingResumed(now, why), Uuid(Running, now),
            (at, ct) => markers.TrySwitchStateAsync(ConditionKind, PostingKey, Running, Running, at, ct), cancellationToken);
    }

    /// <summary>Feishu refused the credentials after they were read again: at most once an hour.</summary>
    public Task<bool> NotifyCredentialsRefusedAsync(FeishuCallError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = time.GetUtcNow();
        return SendAsync(ConditionKind, CredentialsKey, ConditionCards.CredentialsRefused(error.Code, error.Message, error.LogId, now), Uuid(CredentialsKey, now),
            async (at, ct) => (await markers.TryClaimIntervalAsync(ConditionKind, CredentialsKey, at, CredentialsInterval, ct)).Claimed,
            cancellationToken);
    }

    /// <summary>
    /// The parked digest: when the interval since the last one has passed, gathers what was parked since then through
    /// <paramref name="parkedSince"/> and sends one card if there is any.
    /// </summary>
    public async Task<bool> NotifyParkedAsync(
        Func<DateTimeOffset, CancellationToken, Task<IReadOnlyList<ParkedBatch>>> parkedSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parkedSince);
        if (!Enabled)
        {
            return false;
        }

        var interval = options.CurrentValue.ParkedDigestInterval;
        var now = time.GetUtcNow();
        IReadOnlyList<ParkedBatch> parked;
        DateTimeOffset since;
        try
        {
            var (claimed, previous) = await markers.TryClaimIntervalAsync(ConditionKind, ParkedDigestKey, now, interval, cancellationToken);
            if (!claimed)
            {
                return false;
            }

            since = previous ?? now - interval;
            parked = await parkedSince(since, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMarkerFailed(logger, ParkedDigestKey, exception.GetType().Name, exception.Message);
            return false;
        }

        return parked.Count > 0
            && await SendClaimedAsync(ConditionKind, ParkedDigestKey, ConditionCards.ParkedDigest(parked, since, now), Uuid(ParkedDigestKey, now), cancellationToken);
    }

    private async Task<bool> SendAsync(
        string kind, string key, JsonObject card, string? uuid, Func<DateTimeOffset, CancellationToken, Task<bool>> claim, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return false;
        }

        try
        {
            if (!await claim(time.GetUtcNow(), cancellationToken))
            {
                LogNotClaimed(logger, kind, key);
                return false;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMarkerFailed(logger, kind, exception.GetType().Name, exception.Message);
            return false;
        }

        return await SendClaimedAsync(kind, key, card, uuid, cancellationToken);
    }

    private async Task<bool> SendClaimedAsync(string kind, string key, JsonObject card, string? uuid, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        FeishuMessageOutcome outcome;
        try
        {
            outcome = await messages.SendCardAsync(new FeishuReceiver(settings.ReceiveIdType, settings.ChatId.Trim()), card, uuid, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The client answers failures as outcomes; this is a defect (or a receiver it refuses): still only a card.
            outcome = new FeishuMessageOutcome(null, new FeishuCallError(null, exception.GetType().Name + ": " + exception.Message, null, null));
        }

        var error = outcome.Error is { } e
            ? string.Create(CultureInfo.InvariantCulture, $"code {e.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, HTTP {e.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {e.Message} (log id {e.LogId ?? "none"})")
            : null;
        if (error is not null)
        {
            LogNotSent(logger, kind, key, error);
        }
        else
        {
            LogSent(logger, kind, key, outcome.MessageId);
        }

        try
        {
            await markers.RecordOutcomeAsync(kind, key, outcome.MessageId, error, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMarkerFailed(logger, kind, exception.GetType().Name, exception.Message);
        }

        return outcome.Sent;
    }

    private static string Uuid(string what, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}-{now.UtcDateTime:yyyyMMddHHmmssfff}");

    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Feishu card {Kind} {Key} sent as message {MessageId}")]
    private static partial void LogSent(ILogger logger, string kind, string key, string? messageId);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "Feishu card {Kind} {Key} could not be sent and is dropped: {Error}")]
    private static partial void LogNotSent(ILogger logger, string kind, string key, string error);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Debug, Message = "Feishu card {Kind} {Key} is not due (sent already or by another instance)")]
    private static partial void LogNotClaimed(ILogger logger, string kind, string key);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "Feishu card {Kind}: its marker could not be read or written ({ErrorType}: {Error}); no card sent")]
    private static partial void LogMarkerFailed(ILogger logger, string kind, string errorType, string error);
}
