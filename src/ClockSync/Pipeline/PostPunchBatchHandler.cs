namespace ClockSync.Pipeline;

#pragma warning disable CA1822 // Stub with the agreed signature; the pipeline branch replaces it.

/// <summary>Posts one queued batch to Feishu and records the outcome durably before the message completes.</summary>
public sealed class PostPunchBatchHandler
{
    /// <param name="messageText">The queue message as the trigger binds it (already Base64-decoded).</param>
    /// <param name="dequeueCount">How often the queue has delivered this message.</param>
    public Task HandleAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        throw new NotImplementedException("Arrives with the pipeline issue.");
    }
}
