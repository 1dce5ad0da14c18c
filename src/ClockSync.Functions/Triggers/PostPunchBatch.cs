using ClockSync.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace ClockSync.Functions.Triggers;

/// <summary>
/// Queue trigger on the batch queue. The host decodes the Base64 message (host.json messageEncoding) and hands over
/// its text; <c>dequeueCount</c> is bound by name from the trigger metadata. The message completes when the handler
/// returns, so the handler records the outcome durably before it does.
/// </summary>
public sealed class PostPunchBatch(PostPunchBatchHandler handler)
{
    [Function(nameof(PostPunchBatch))]
    public Task RunAsync(
        [QueueTrigger(TriggerSettings.BatchQueueName, Connection = "ClockSyncStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, dequeueCount, cancellationToken);
}
