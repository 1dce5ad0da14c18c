using Azure.Storage.Blobs;

namespace ClockSync.Pipeline;

#pragma warning disable CA1822 // Stub with the agreed signature; the pipeline branch replaces it.

/// <summary>
/// Ingests one export blob: reads it streaming, normalises, drops what the ledger already holds, enqueues batches of
/// at most 50 punches, records the import and writes its report. Host-independent: the Functions trigger and the
/// local WebJobs host both call it.
/// </summary>
public sealed class IngestClockExportHandler
{
    /// <summary>Ingests <paramref name="blob"/> (its current version, pinned by ETag for the whole read).</summary>
    public Task<IngestResult> HandleAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        throw new NotImplementedException("Arrives with the pipeline issue.");
    }
}
