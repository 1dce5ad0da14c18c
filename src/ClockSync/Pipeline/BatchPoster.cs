using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Notify;
using ClockSync.Storage.Batches;
using ClockSync.Storage.Pause;

namespace ClockSync.Pipeline;

/// <summary>
/// Posts records through the Feishu client, measuring latency and counting throttling. While posting is paused
/// app-wide (monthly quota or budget used up) it answers <see cref="FeishuBatchOutcome.QuotaExhausted"/> without a
/// call; the first such answer from Feishu starts the pause, and the chat hears of it once. An auth failure (the client
/// has already fetched a new token and re-read the secrets) is told to the chat, at most once an hour.
/// </summary>
public sealed class BatchPoster(IFeishuAttendanceClient client, PostingPause pause, PipelineMetrics metrics, TimeProvider time, Notifier notifier)
{
    public async Task<FeishuBatchOutcome> PostAsync(IReadOnlyList<BatchRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (await pause.CurrentAsync(cancellationToken) is { } paused)
        {
            return new FeishuBatchOutcome.QuotaExhausted(paused.ToError());
        }

        var started = time.GetTimestamp();
        var outcome = await client.BatchCreateAsync(records.Select(record => record.ToFlowRecord()).ToList(), cancellationToken);
        metrics.FeishuLatency.Record(time.GetElapsedTime(started).TotalMilliseconds);
        if (IsThrottled(outcome))
        {
            metrics.FeishuThrottled.Add(1);
        }

        if (outcome is FeishuBatchOutcome.QuotaExhausted exhausted)
        {
            var pauseState = await pause.StartAsync(exhausted.Error, cancellationToken);
            await notifier.NotifyPostingStoppedAsync(pauseState.ToError().Message, callsThisMonth: null, pauseState.Budget, cancellationToken);
        }

        if (outcome is FeishuBatchOutcome.AuthFailure refused)
        {
            await notifier.NotifyCredentialsRefusedAsync(refused.Error, cancellationToken);
        }

        return outcome;
    }

    public static bool IsThrottled(FeishuBatchOutcome outcome) => outcome switch
    {
        FeishuBatchOutcome.TransientFailure { Cause: FeishuTransientCause.Throttled } => true,
        FeishuBatchOutcome.PartiallyAccepted { RetryAfter: not null } => true,
        _ => false,
    };
}
