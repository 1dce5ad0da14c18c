using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// Ownership follows the queue: whatever happens to a run or to its blob (the host dies, the clock's next cumulative
/// export replaces the file mid-read, the same version is delivered twice at once), every distinct punch of the files
/// uploaded lands in the sandbox exactly once.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineOwnershipTests(AzuriteFixture azurite)
{
    private const string Name = "1_attlog.dat";

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(30)]
    public async Task A_host_that_dies_mid_ingest_then_the_cumulative_next_export_under_the_same_name_every_punch_lands_once(int sendsBeforeCrash)
    {
        const int First = 45 * 50;
        const int Cumulative = First + 300;
        var crash = new CrashAfterQueueSends();
        await using var harness = await PipelineHarness.StartWithPoliciesAsync(azurite, queue: crash);
        await harness.Exports.CreateIfNotExistsAsync();
        var blob = harness.Exports.GetBlobClient(Name);
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(First))), overwrite: true);

        using var dying = new CancellationTokenSource();
        crash.Arm(sendsBeforeCrash, dying);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Ingest.HandleAsync(blob, dying.Token));
        crash.Disarm();
        var firstImport = await ImportIdAsync(blob);
        var died = await harness.Imports.GetAsync(firstImport, CancellationToken.None);
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(Cumulative))), overwrite: true);
        var next = await harness.Ingest.HandleAsync(blob, CancellationToken.None);
        await harness.DrainQueueAsync();

        Assert.Equal((ImportState.Ingesting, sendsBeforeCrash), (died!.State, crash.Sent));
        Assert.True(died.BatchesClaimed > died.BatchesEnqueued, "the crash left claimed batches that were never enqueued");
        Assert.Equal(ImportState.Superseded, (await harness.Imports.GetAsync(firstImport, CancellationToken.None))!.State);
        Assert.False(next.Superseded);
        Assert.Equal(ExpectedIds(Cumulative), harness.LedgerIds());
        var report = await harness.ReportAsync(Name);
        Assert.Equal((next.ImportId, (long)Cumulative), (report.ImportId, report.NewPunches + report.AlreadyImported));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_blob_overwritten_by_the_cumulative_next_export_mid_read_ends_that_run_cleanly_and_every_punch_lands_once(bool newerRunsFirst)
    {
        // More than one 1 MiB read chunk, so the pinned read is held between two chunks while the blob is replaced.
        const int First = 28_000;
        const int Cumulative = First + 500;
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.Exports.CreateIfNotExistsAsync();
        await harness.Exports.GetBlobClient(Name).UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(First))), overwrite: true);
        var gate = new BlobReadGate(holdDownload: 2);
        var gatedOptions = new BlobClientOptions();
        gatedOptions.AddPolicy(gate, HttpPipelinePosition.PerCall);
        var gated = new BlobServiceClient(azurite.ConnectionString, gatedOptions).GetBlobContainerClient(harness.Names.ExportsContainer).GetBlobClient(Name);

        var older = harness.Ingest.HandleAsync(gated, CancellationToken.None);
        await gate.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        var blob = harness.Exports.GetBlobClient(Name);
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(Cumulative))), overwrite: true);
        IngestResult olderResult, newerResult;
        if (newerRunsFirst)
        {
            newerResult = await harness.Ingest.HandleAsync(blob, CancellationToken.None);
            gate.Open();
            olderResult = await older;
        }
        else
        {
            gate.Open();
            olderResult = await older;
            newerResult = await harness.Ingest.HandleAsync(blob, CancellationToken.None);
        }

        await harness.DrainQueueAsync();

        Assert.True(olderResult.Superseded);
        Assert.False(newerResult.Superseded);
        Assert.Equal(ImportState.Superseded, (await harness.Imports.GetAsync(olderResult.ImportId, CancellationToken.None))!.State);
        Assert.Equal(ImportState.Enqueued, (await harness.Imports.GetAsync(newerResult.ImportId, CancellationToken.None))!.State);
        Assert.Equal(ExpectedIds(Cumulative), harness.LedgerIds());
        Assert.Equal(newerResult.ImportId, (await harness.ReportAsync(Name)).ImportId);
    }

    [Fact]
    public async Task Two_concurrent_deliveries_of_one_version_enqueue_every_batch_once()
    {
        const int Punches = 45 * 50;
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.Exports.CreateIfNotExistsAsync();
        var blob = harness.Exports.GetBlobClient(Name);
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(Punches))), overwrite: true);

        var results = await Task.WhenAll(
            Task.Run(() => harness.Ingest.HandleAsync(blob, CancellationToken.None)),
            Task.Run(() => harness.Ingest.HandleAsync(blob, CancellationToken.None)));
        var batches = (await harness.ReceiveAllAsync()).Select(message => BatchMessage.Parse(message.MessageText).BatchNo).ToList();

        Assert.Single(results, result => result.AlreadyIngested);
        Assert.Single(results, result => !result.AlreadyIngested && result.BatchesEnqueued == 45);
        Assert.Equal(Enumerable.Range(1, 45), batches.Order());
    }

    [Fact]
    public async Task A_delivery_stands_by_while_another_run_holds_the_version_and_takes_over_once_its_lease_lapses()
    {
        const int Punches = 10 * 50;
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.Services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(CancellationToken.None);
        var blob = harness.Exports.GetBlobClient(Name);
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(Punches))), overwrite: true);
        var importId = await ImportIdAsync(blob);
        // A run that took the import and died without a word: its lease is all that is left of it.
        var row = await harness.Imports.GetOrCreateAsync(importId, $"{blob.BlobContainerName}/{blob.Name}", (await blob.GetPropertiesAsync()).Value.ETag.ToString(), CancellationToken.None);
        var (_, deadRunStarted) = await harness.Imports.TryStartRunAsync(row, "dead-run", IngestClockExportHandler.LeaseDuration, CancellationToken.None);

        var delivery = harness.Ingest.HandleAsync(blob, CancellationToken.None);
        var heldRow = await harness.Imports.GetAsync(importId, CancellationToken.None);
        var queuedWhileHeld = (await harness.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        harness.Time.Advance(IngestClockExportHandler.LeaseDuration + TimeSpan.FromSeconds(1));
        var result = await delivery.WaitAsync(TimeSpan.FromMinutes(2));
        await harness.DrainQueueAsync();

        Assert.True(deadRunStarted);
        Assert.Equal("dead-run", heldRow!.RunId);
        Assert.Equal(0, queuedWhileHeld);
        Assert.False(result.AlreadyIngested);
        Assert.Equal(10, result.BatchesEnqueued);
        Assert.Equal(ExpectedIds(Punches), harness.LedgerIds());
        Assert.Equal(ImportState.Enqueued, (await harness.Imports.GetAsync(importId, CancellationToken.None))!.State);
    }

    [Theory]
    [InlineData("../other/x.dat")]
    [InlineData("%2E%2E/other/x.dat")]
    public async Task An_export_named_with_dot_segments_cannot_write_its_report_outside_the_reports_container(string name)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var other = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("other");
        var before = await BlobsInAsync(other);
        await harness.Exports.CreateIfNotExistsAsync();
        await harness.Exports.GetBlobClient("dots.dat").UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(20))), overwrite: true);
        // The client library resolves ".." before a request leaves, so no export can be uploaded under such a name; a
        // trigger that decodes an event's URL can still hand one over, so the handler gets the name as such a trigger would.
        var blob = new NamedBlobClient(azurite.ConnectionString, harness.Names.ExportsContainer, "dots.dat", name);

        var result = await harness.Ingest.HandleAsync(blob, CancellationToken.None);
        var reports = new List<string>();
        await foreach (var item in harness.Reports.GetBlobsAsync())
        {
            reports.Add(item.Name);
        }

        Assert.Equal(before, await BlobsInAsync(other));
        var report = Assert.Single(reports);
        Assert.DoesNotContain(report.Split('/'), segment => segment.Replace("%2E", ".", StringComparison.OrdinalIgnoreCase) is "." or "..");
        Assert.Equal(result.ImportId, (await harness.ReportAsync(name)).ImportId);
    }

    private static async Task<string> ImportIdAsync(BlobClient blob) =>
        ImportIds.For(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag.ToString());

    private static HashSet<string> ExpectedIds(int count) => Pipeline.ExpectedIds.Of(count, Name);

    private static async Task<List<string>> BlobsInAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        if (!await container.ExistsAsync())
        {
            return names;
        }

        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        return names;
    }

    /// <summary>A client of one blob that reports another name, as a trigger decoding a hostile event URL would hand it over.</summary>
    private sealed class NamedBlobClient(string connectionString, string container, string blob, string name) : BlobClient(connectionString, container, blob)
    {
        public override string Name => name;
    }
}
