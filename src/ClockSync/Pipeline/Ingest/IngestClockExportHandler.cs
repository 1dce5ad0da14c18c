using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Reports;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// Ingests one export blob (its current version): makes sure one run at a time works on that version, then hands the
/// work to an <see cref="IngestRun"/>. Host-independent: the Functions trigger and the local WebJobs host both call it.
/// </summary>
/// <remarks>
/// <para><b>One run per version.</b> The version's <c>Imports</c> row carries the run that holds it and a lease
/// (<see cref="LeaseDuration"/>, renewed as the run goes). A second delivery of the same version stands by, sending
/// nothing, until the holder finishes (it then returns "already ingested") or its lease lapses because it died (it then
/// takes over and resumes). A run that fails lets go of its lease at once, so a redelivery need not wait.</para>
/// <para><b>Ownership follows the queue.</b> See <see cref="IngestRun"/>: a newer version's run adopts the unfinished
/// import of the version it replaces, and a run whose version is replaced mid-read ends cleanly.</para>
/// </remarks>
public sealed class IngestClockExportHandler(
    PipelineStorage storage,
    ImportStore imports,
    ImportReportStore reports,
    BatchMessenger messenger,
    IOptions<PunchOptions> punchOptions,
    IdMappingSource mappings,
    UnknownUserStore unknownUsers,
    PipelineMetrics metrics,
    TimeProvider time,
    ImportSettledNotifier settled,
    ILogger<IngestClockExportHandler> logger)
{
    /// <summary>
    /// How long a run holds its import without renewing. Runs renew every quarter of it (each group commit, or a timer
    /// check between batches), so only a dead run lets it lapse; a delivery standing by then waits at most this long.
    /// </summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>How often a delivery standing by looks at the holder's progress.</summary>
    private static readonly TimeSpan StandByPoll = TimeSpan.FromSeconds(1);

    /// <summary>How long a failed run tries to let go of its lease before leaving it to lapse.</summary>
    private static readonly TimeSpan LetGoTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Ingests <paramref name="blob"/> (its current version, pinned by ETag for the whole read).</summary>
    public async Task<IngestResult> HandleAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        await storage.EnsureCreatedAsync(cancellationToken);
        BlobProperties properties;
        try
        {
            properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Deleted before its run began: nothing to read. An earlier version's unfinished import stays for the next one to adopt.
            IngestLog.Gone(logger, blob.Name);
            return new IngestResult(string.Empty, 0, AlreadyIngested: false, NotAnExport: false, Superseded: true);
        }

        var etag = properties.ETag.ToString();
        var importId = ImportIds.For(blob.BlobContainerName, blob.Name, etag);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImportId"] = importId, ["Blob"] = blob.Name });

        var row = await imports.GetOrCreateAsync(importId, $"{blob.BlobContainerName}/{blob.Name}", etag, cancellationToken);
        var runId = Guid.NewGuid().ToString("N");
        var standingBy = false;
        while (true)
        {
            if (ImportState.IsFinal(row.State))
            {
                IngestLog.AlreadyIngested(logger, importId, blob.Name, row.State);
                return new IngestResult(importId, 0, AlreadyIngested: true, NotAnExport: row.State == ImportState.NotAnExport);
            }

            (row, var started) = await imports.TryStartRunAsync(row, runId, LeaseDuration, cancellationToken);
            if (started)
            {
                break;
            }

            if (!ImportState.IsFinal(row.State))
            {
                if (!standingBy)
                {
                    IngestLog.StandingBy(logger, importId, blob.Name, row.LeaseUntilUtc);
                    standingBy = true;
                }

                await Task.Delay(StandByPoll, time, cancellationToken);
                row = await imports.GetAsync(importId, cancellationToken)
                    ?? throw new InvalidOperationException($"Import {importId} has no Imports row.");
            }
        }

        var run = new IngestRun(
            new IngestServices(storage, imports, reports, messenger, punchOptions.Value, mappings, unknownUsers, settled, metrics, time, logger),
            blob, properties, importId, runId, row);
        try
        {
            return await run.RunAsync(cancellationToken);
        }
        catch (ImportRunEndedException exception)
        {
            // Another run holds the import now (it took over a lapsed lease, or a newer version adopted it): it finishes the work.
            IngestLog.RunEnded(logger, importId, blob.Name, exception.Message);
            return new IngestResult(importId, run.Sent, AlreadyIngested: false, NotAnExport: false, Superseded: true);
        }
        catch (Exception exception) when (exception is not ImportRunEndedException)
        {
            await LetGoAsync(importId, runId);
            throw;
        }
    }

    /// <summary>The run failed and its sends are over: free the import for the redelivery now rather than when the lease lapses.</summary>
    private async Task LetGoAsync(string importId, string runId)
    {
        using var timeout = new CancellationTokenSource(LetGoTimeout, time);
        try
        {
            await imports.LetGoAsync(importId, runId, timeout.Token);
        }
        catch (Exception exception) when (exception is RequestFailedException or OperationCanceledException or AggregateException)
        {
            // The lease lapses by itself; the failure being reported is the run's.
        }
    }
}
