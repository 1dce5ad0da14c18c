using ClockSync.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace ClockSync.Functions.Triggers;

/// <summary>
/// Timer trigger for the retry sweep. The schedule is an app setting (NCRONTAB, default every five minutes); the
/// handler claims rows with ETag-guarded updates, so overlapping runs on two instances are safe.
/// </summary>
public sealed class RetryFailedBatches(RetryFailedBatchesHandler handler)
{
    [Function(nameof(RetryFailedBatches))]
    public Task RunAsync(
        [TimerTrigger(TriggerSettings.RetryScheduleExpression)] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return handler.HandleAsync(cancellationToken);
    }
}
