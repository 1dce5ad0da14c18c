using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ClockSync.IntegrationTests.Infrastructure;

/// <summary>The storage tests that follow rely on these three services behaving like Azure Storage.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Blob_written_is_read_back_with_an_etag()
    {
        var container = azurite.Blobs().GetBlobContainerClient(AzuriteFixture.UniqueName("c"));
        await container.CreateAsync();
        var blob = container.GetBlobClient("1_attlog.dat");

        var uploaded = await blob.UploadAsync(BinaryData.FromString("        7\t2025-06-02 08:57:31\t1\t0\t1\t0\r\n"));
        var downloaded = await blob.DownloadContentAsync();

        Assert.Equal("        7\t2025-06-02 08:57:31\t1\t0\t1\t0\r\n", downloaded.Value.Content.ToString());
        Assert.Equal(uploaded.Value.ETag, downloaded.Value.Details.ETag);
    }

    [Fact]
    public async Task Queue_message_is_received_once_and_then_invisible()
    {
        var queue = azurite.Queues().GetQueueClient(AzuriteFixture.UniqueName("q"));
        await queue.CreateAsync();

        await queue.SendMessageAsync("batch-1");
        var first = await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(1));
        var second = await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("batch-1", first.Value.MessageText);
        Assert.Null(second.Value);
    }

    [Fact]
    public async Task Table_update_with_a_stale_etag_is_refused()
    {
        var table = azurite.Tables().GetTableClient(AzuriteFixture.UniqueName("t"));
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("import", "batch-1") { ["Attempts"] = 0 });
        var read = (await table.GetEntityAsync<TableEntity>("import", "batch-1")).Value;

        read["Attempts"] = 1;
        await table.UpdateEntityAsync(read, read.ETag);
        read["Attempts"] = 2;
        var stale = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => table.UpdateEntityAsync(read, read.ETag));

        Assert.Equal(412, stale.Status);
    }
}
