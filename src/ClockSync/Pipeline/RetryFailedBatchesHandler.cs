namespace ClockSync.Pipeline;

/// <summary>Retries the failed batches that are due, with backoff, and parks the ones that cannot succeed.</summary>
public sealed class RetryFailedBatchesHandler
{
    public Task<RetryRunSummary> HandleAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException("Arrives with the pipeline issue.");
}
