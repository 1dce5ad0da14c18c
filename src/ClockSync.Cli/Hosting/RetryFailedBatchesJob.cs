using System.Diagnostics.CodeAnalysis;
using ClockSync.Pipeline;
using Microsoft.Azure.WebJobs;

namespace ClockSync.Cli.Hosting;

/// <summary>The local twin of the worker's <c>RetryFailedBatches</c> timer.</summary>
[SuppressMessage("Performance", "CA1515", Justification = "The WebJobs indexer binds public job classes only.")]
public sealed class RetryFailedBatchesJob(RetryFailedBatchesHandler handler)
{
    [FunctionName(LocalFunctionNames.RetryFailedBatches)]
    public Task RunAsync(
        [TimerTrigger(TriggerSettings.RetryScheduleExpression)] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return handler.HandleAsync(cancellationToken);
    }
}
