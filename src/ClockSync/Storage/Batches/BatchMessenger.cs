using Azure.Storage.Blobs.Models;
using ClockSync.Punches;

namespace ClockSync.Storage.Batches;

/// <summary>
/// Sends batch messages (Base64 through the queue client's encoding) and resolves claim checks. A batch whose JSON
/// passes <see cref="StorageOptions.MaxInlineMessageBytes"/> is written to <c>{ClaimCheckContainer}/{importId}/{batchNo}.json</c>
/// first and the message carries that name; the blob name is deterministic, so a re-sent batch overwrites its own.
/// </summary>
public sealed class BatchMessenger(PipelineStorage storage)
{
    public async Task SendAsync(string importId, int batchNo, IReadOnlyList<Punch> punches, CancellationToken cancellationToken)
    {
        var inline = BatchJsonWriter.Message(importId, batchNo, punches);
        if (inline.Length > storage.Options.MaxInlineMessageBytes)
        {
            var name = ClaimCheckName(importId, batchNo);
            await storage.ClaimChecks.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(BatchJsonWriter.Records(punches)),
                overwrite: true,
                cancellationToken);
            inline = new BatchMessage(importId, batchNo, Records: null, ClaimCheck: name).ToUtf8Json();
        }

        await storage.BatchQueue.SendMessageAsync(BinaryData.FromBytes(inline), cancellationToken: cancellationToken);
    }

    /// <summary>The records of a message, downloading the claim-check blob when there is one.</summary>
    public async Task<IReadOnlyList<BatchRecord>> ReadRecordsAsync(BatchMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Records is { } records)
        {
            return records;
        }

        BlobDownloadResult content = await storage.ClaimChecks.GetBlobClient(message.ClaimCheck).DownloadContentAsync(cancellationToken);
        return BatchMessage.ParseRecords(content.Content);
    }

    /// <summary>
    /// Moves every message of the poison queue back to the batch queue (each sent before it is deleted, so a crash
    /// leaves a copy in both rather than in neither: posting ignores a batch already recorded).
    /// </summary>
    /// <returns>Messages moved.</returns>
    public async Task<int> ReplayPoisonAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        while (true)
        {
            var messages = (await storage.PoisonQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value;
            if (messages.Length == 0)
            {
                return moved;
            }

            foreach (var message in messages)
            {
                await storage.BatchQueue.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await storage.PoisonQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                moved++;
            }
        }
    }

    public static string ClaimCheckName(string importId, int batchNo) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{importId}/{batchNo:D6}.json");
}
