using System.Globalization;
using ClockSync.Feishu.Http;

namespace ClockSync.Storage.Pause;

/// <summary>A pause in force: why, since and until when, and what was said.</summary>
public sealed record PostingPauseState(
    PostingPauseReason Reason, DateTimeOffset StartedUtc, DateTimeOffset UntilUtc, long? Budget, string Message, string? LogId)
{
    /// <summary>The error a batch is recorded with while it waits (no call was made for it).</summary>
    public FeishuCallError ToError() => new(
        Reason == PostingPauseReason.Quota ? FeishuCodes.MonthlyQuotaExhausted : null,
        string.Create(CultureInfo.InvariantCulture,
            $"posting is paused app-wide until {UntilUtc:yyyy-MM-dd HH:mm} UTC or 'clocksync feishu resume' ({(Reason == PostingPauseReason.Quota ? "Feishu's monthly call quota is used up" : "the monthly call budget is used up")}: {Message})"),
        Reason == PostingPauseReason.Quota ? 429 : null,
        LogId);
}
