using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>An ingest that dies part-way and is delivered again for the same blob version.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineResumeTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public async Task An_ingest_that_dies_after_some_sends_resumes_and_every_punch_lands_once(int sendsBeforeCrash)
    {
        const int Punches = 45 * 50;
        var crash = new CrashAfterQueueSends();
        await using var harness = await PipelineHarness.StartWithPoliciesAsync(azurite, queue: crash);
        await harness.Exports.CreateIfNotExistsAsync();
        var blob = harness.Exports.GetBlobClient("resume.dat");
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(Punches))), overwrite: true);

        using var dying = new CancellationTokenSource();
        crash.Arm(sendsBeforeCrash, dying);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Ingest.HandleAsync(blob, dying.Token));
        crash.Disarm();
        var importId = ImportIds.For(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag.ToString());
        var afterCrash = await harness.Imports.GetAsync(importId, CancellationToken.None);
        var resumed = await harness.Ingest.HandleAsync(blob, CancellationToken.None);
        var queued = await harness.ReceiveAllAsync();
        foreach (var message in queued)
        {
            await harness.Post.HandleAsync(message.MessageText, 1, CancellationToken.None);
        }

        Assert.Equal(sendsBeforeCrash, crash.Sent);
        Assert.Equal(ImportState.Ingesting, afterCrash!.State);
        Assert.Equal(importId, resumed.ImportId);
        Assert.False(resumed.AlreadyIngested);
        Assert.Equal(Enumerable.Range(1, 45), queued.Select(message => BatchMessage.Parse(message.MessageText).BatchNo).Distinct().Order());
        Assert.Equal(Punches, harness.LedgerIds().Count);
        var totals = await harness.Imports.GetTotalsAsync(importId, CancellationToken.None);
        var row = totals!.Import;
        Assert.Equal((ImportState.Enqueued, 45, 45, (long)Punches, (long)Punches), (row.State, row.BatchesEnqueued, totals.Posting.BatchesPosted, row.NewPunches, totals.Posting.PunchesPosted));
        var report = await harness.ReportAsync("resume.dat");
        Assert.Equal((ImportReport.Imported, (long)Punches, 0L, 45), (report.Status, report.NewPunches, report.AlreadyImported, report.Batches));
    }
}
