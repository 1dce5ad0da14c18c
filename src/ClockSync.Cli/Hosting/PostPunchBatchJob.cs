using System.Diagnostics.CodeAnalysis;
using ClockSync.Pipeline;
using Microsoft.Azure.WebJobs;

namespace ClockSync.Cli.Hosting;

/// <summary>The local twin of the worker's <c>PostPunchBatch</c>: the queue settings come from <see cref="HostQueueSettings"/>.</summary>
[SuppressMessage("Performance", "CA1515", Justification = "The WebJobs indexer binds public job classes only.")]
public sealed class PostPunchBatchJob(PostPunchBatchHandler handler)
{
    [FunctionName(LocalFunctionNames.PostPunchBatch)]
    public Task RunAsync(
        [QueueTrigger(TriggerSettings.BatchQueueName, Connection = "ClockSyncStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, dequeueCount, cancellationToken);
}
