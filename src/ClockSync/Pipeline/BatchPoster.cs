using ClockSync.Feishu;
using ClockSync.Notify;
using ClockSync.Storage.Batches;

namespace ClockSync.Pipeline;

/// <summary>Posts records through the Feishu client, measuring latency and counting throttling; an auth failure (the
/// client has already fetched a new token and re-read the secrets) is told to the chat, at most once an hour.</summary>
public sealed class BatchPoster(IFeishuAttendanceClient client, PipelineMetrics metrics, TimeProvider time, Notifier notifier)
{
    public async Task<FeishuBatchOutcome> PostAsync(IReadOnlyList<BatchRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var started = time.GetTimestamp();
        var outcome = await client.BatchCreateAsync(records.Select(record => record.ToFlowRecord()).ToList(), cancellationToken).ConfigureAwait(false);
        metrics.FeishuLatency.Record(time.GetElapsedTime(started).TotalMilliseconds);
        if (IsThrottled(outcome))
        {
            metrics.FeishuThrottled.Add(1);
        }

        if (outcome is FeishuBatchOutcome.AuthFailure refused)
        {
            await notifier.NotifyCredentialsRefusedAsync(refused.Error, cancellationToken).ConfigureAwait(false);
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
