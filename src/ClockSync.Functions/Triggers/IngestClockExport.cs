using Azure.Storage.Blobs;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using Microsoft.Azure.Functions.Worker;

namespace ClockSync.Functions.Triggers;

/// <summary>
/// Blob trigger on the exports container. Bound as <see cref="BlobClient"/> (SDK-type binding): the host hands over a
/// client, not the content, so the handler streams the blob with its ETag pinned and memory stays flat.
/// Event Grid source, because Flex Consumption has no polling blob trigger.
/// </summary>
public sealed class IngestClockExport(IngestClockExportHandler handler)
{
    /// <summary>The container comes from an app setting; the connection name must be a constant in the attribute.</summary>
    [Function(nameof(IngestClockExport))]
    public Task RunAsync(
        [BlobTrigger(TriggerSettings.ExportsPath, Source = BlobTriggerSource.EventGrid, Connection = "ClockSyncStorage")]
        BlobClient blob,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(blob, cancellationToken);
}
