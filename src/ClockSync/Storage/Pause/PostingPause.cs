using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Http;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Failures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Storage.Pause;

/// <summary>
/// The app-wide posting pause, stored so every instance sees it: started when Feishu says the monthly quota is used up
/// or the app's budget is; ends when the quota month changes (China time), when an operator resumes
/// (<c>clocksync feishu resume</c>), or — for a budget pause — when the budget is raised. Instances read it before every
/// post and retry run, cached for <see cref="CacheFor"/>, so a pause costs one table read per instance every few
/// seconds, not one per batch.
/// </summary>
public sealed partial class PostingPause(
    PipelineStorage storage,
    IOptionsMonitor<FeishuOptions> feishu,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<PostingPause> logger)
{
    /// <summary>How long an instance trusts its last read of the pause.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private const int MaxWriteAttempts = 20;

    private readonly Lock _gate = new();
    private PostingPauseState? _cached;
    private DateTimeOffset? _cachedAt;

    private TableClient Table => storage.CallCounts;

    /// <summary>
    /// When a batch refused for the quota (or budget) is due again: the pause's end, or, with no pause in force,
    /// <see cref="FailedBatchPolicy.QuotaRecheckWithoutPause"/> from now.
    /// </summary>
    public async Task<DateTimeOffset> ResumeDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken))?.UntilUtc ?? now + FailedBatchPolicy.QuotaRecheckWithoutPause;

    /// <summary>The pause in force, or null when posting may go on.</summary>
    public async Task<PostingPauseState?> CurrentAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cachedAt is { } at && time.GetUtcNow() - at < CacheFor && time.GetUtcNow() >= at)
            {
                return InForce(_cached);
            }
        }

        var row = await ReadAsync(cancellationToken);
        var state = row is null ? null : ToState(row);
        Cache(state);
        return InForce(state);
    }

    /// <summary>
    /// Starts the pause for the outcome that proved the quota (or budget) used up, unless one is already in force. The
    /// instance that starts it logs one error and counts <c>ClockSync.QuotaExhausted</c>; the others only see it.
    /// </summary>
    public async Task<PostingPauseState> StartAsync(FeishuCallError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (var attempt = 0; ; attempt++)
        {
            var row = await ReadAsync(cancellationToken);
            if (InForce(row is null ? null : ToState(row)) is { } running)
            {
                Cache(running);
                return running;
            }

            var now = time.GetUtcNow();
            var quota = error.Code == FeishuCodes.MonthlyQuotaExhausted;
            var fresh = new PostingPauseEntity
            {
                Reason = (quota ? PostingPauseReason.Quota : PostingPauseReason.Budget).ToString(),
                StartedUtc = now,
                UntilUtc = FeishuQuotaMonth.NextStart(now),
                Budget = quota ? null : feishu.CurrentValue.MonthlyCallBudget,
                Message = error.Message,
                LogId = error.LogId,
            };
            try
            {
                if (row is null)
                {
                    await Table.AddEntityAsync(fresh, cancellationToken);
                }
                else
                {
                    await Table.UpdateEntityAsync(fresh, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
            }
            catch (RequestFailedException exception) when (
                exception.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < MaxWriteAttempts)
            {
                // Another instance started (or ended) a pause meanwhile: look again.
                continue;
            }

            var state = ToState(fresh);
            Cache(state);
            metrics.QuotaExhausted.Add(1);
            LogPaused(logger, fresh.Reason, state.UntilUtc, error.Code, error.Message, error.LogId);
            return state;
        }
    }

    /// <summary>Ends the pause (an operator's word). Returns the pause that was stored, in force or not.</summary>
    public async Task<PostingPauseState?> ResumeAsync(CancellationToken cancellationToken)
    {
        var row = await ReadAsync(cancellationToken);
        if (row is not null)
        {
            try
            {
                await Table.DeleteEntityAsync(row, ETag.All, cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
            {
                // Already ended.
            }
        }

        Cache(null);
        return row is null ? null : ToState(row);
    }

    /// <summary>
    /// Removes a stored pause that has ended by itself (its month is over, or the budget was raised) and returns it, so
    /// the caller can make the batches it held due; null when there is none, or it is still in force.
    /// </summary>
    public async Task<PostingPauseState?> ClearEndedAsync(CancellationToken cancellationToken)
    {
        var row = await ReadAsync(cancellationToken);
        if (row is null || InForce(ToState(row)) is not null)
        {
            return null;
        }

        try
        {
            await Table.DeleteEntityAsync(row, row.ETag, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
            // Another instance cleared it, or a new pause began: either way not ours to report.
            return null;
        }

        Cache(null);
        return ToState(row);
    }

    private async Task<PostingPauseEntity?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var row = await Table.GetEntityIfExistsAsync<PostingPauseEntity>(PostingPauseEntity.Partition, PostingPauseEntity.Key, cancellationToken: cancellationToken);
            return row.HasValue ? row.Value : null;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            // No table yet: nothing was ever paused.
            return null;
        }
    }

    private void Cache(PostingPauseState? state)
    {
        lock (_gate)
        {
            _cached = state;
            _cachedAt = time.GetUtcNow();
        }
    }

    /// <summary>Null when the pause has ended by itself: its month is over, or the budget it ran out of was raised.</summary>
    private PostingPauseState? InForce(PostingPauseState? state) =>
        state is null || state.UntilUtc <= time.GetUtcNow()
        || (state.Reason == PostingPauseReason.Budget && (feishu.CurrentValue.MonthlyCallBudget is not { } budget || budget > state.Budget))
            ? null
            : state;

    private static PostingPauseState ToState(PostingPauseEntity row) => new(
        Enum.TryParse<PostingPauseReason>(row.Reason, out var reason) ? reason : PostingPauseReason.Quota,
        row.StartedUtc,
        row.UntilUtc,
        row.Budget,
        row.Message,
        row.LogId);

    [LoggerMessage(EventId = 4410, Level = LogLevel.Error,
        Message = "Posting to Feishu is paused for every instance until {Until} or 'clocksync feishu resume' ({Reason} used up: code {Code}, '{Msg}', log id {LogId}); batches stay pending and are posted after the pause")]
    private static partial void LogPaused(ILogger logger, string reason, DateTimeOffset until, int? code, string msg, string? logId);
}
