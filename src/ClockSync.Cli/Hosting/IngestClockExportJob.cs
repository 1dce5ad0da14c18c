using System.Diagnostics.CodeAnalysis;
using Azure.Storage.Blobs;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using Microsoft.Azure.WebJobs;

namespace ClockSync.Cli.Hosting;

/// <summary>
/// The local twin of the worker's <c>IngestClockExport</c>: same function name, container expression and connection,
/// same handler. A polling blob trigger (the WebJobs default source) because Event Grid cannot reach a laptop.
/// </summary>
[SuppressMessage("Performance", "CA1515", Justification = "The WebJobs indexer binds public job classes only.")]
public sealed class IngestClockExportJob(IngestClockExportHandler handler)
{
    [FunctionName(LocalFunctionNames.IngestClockExport)]
    public Task RunAsync(
        [BlobTrigger(TriggerSettings.ExportsPath, Connection = "ClockSyncStorage")] BlobClient blob,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(blob, cancellationToken);
}
