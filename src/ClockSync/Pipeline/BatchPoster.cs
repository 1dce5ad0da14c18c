using ClockSync.Feishu;
using ClockSync.Storage.Batches;

namespace ClockSync.Pipeline;

/// <summary>Posts records through the Feishu client, measuring latency and counting throttling.</summary>
public sealed class BatchPoster(IFeishuAttendanceClient client, PipelineMetrics metrics, TimeProvider time)
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

        return outcome;
    }

    public static bool IsThrottled(FeishuBatchOutcome outcome) => outcome switch
    {
        FeishuBatchOutcome.TransientFailure { Cause: FeishuTransientCause.Throttled } => true,
        FeishuBatchOutcome.PartiallyAccepted { RetryAfter: not null } => true,
        _ => false,
    };
}
