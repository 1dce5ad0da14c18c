using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.CallCounts;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.Logging;

namespace ClockSync.Pipeline;

/// <summary>
/// Posts one queued batch to Feishu and records the outcome durably before the message completes. A batch whose
/// marker exists (a redelivered or duplicated message) is not posted again. If the process dies after the post and
/// before the record, the redelivery posts again and Feishu de-duplicates on <c>idempotent_id</c>.
/// </summary>
public sealed class PostPunchBatchHandler(
    PipelineStorage storage,
    ImportStore imports,
    BatchMessenger messenger,
    BatchPoster poster,
    BatchOutcomeRecorder recorder,
    TableFeishuCallCounter callCounts,
    ImportSettledNotifier settled,
    ILogger<PostPunchBatchHandler> logger)
{
    /// <param name="messageText">The queue message as the trigger binds it (already Base64-decoded).</param>
    /// <param name="dequeueCount">How often the queue has delivered this message.</param>
    /// <exception cref="FormatException">The message is not a punch batch (the queue moves it to poison after its retries).</exception>
    public async Task HandleAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var message = BatchMessage.Parse(messageText);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ImportId"] = message.ImportId, ["BatchNo"] = message.BatchNo });
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        if (await imports.IsBatchRecordedAsync(message.ImportId, message.BatchNo, cancellationToken).ConfigureAwait(false))
        {
            Log.AlreadyRecorded(logger, message.ImportId, message.BatchNo, dequeueCount);
            await settled.AfterPostAsync(message.ImportId, message.BatchNo, cancellationToken).ConfigureAwait(false);
            return;
        }

        var records = await messenger.ReadRecordsAsync(message, cancellationToken).ConfigureAwait(false);
        var outcome = await poster.PostAsync(records, cancellationToken).ConfigureAwait(false);
        var marker = await recorder.RecordFirstPostAsync(message.ImportId, message.BatchNo, records, outcome, cancellationToken).ConfigureAwait(false);
        Log.Recorded(logger, message.ImportId, message.BatchNo, records.Count, marker ?? "already recorded by another delivery", outcome.GetType().Name, dequeueCount);
        await callCounts.FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
        await settled.AfterPostAsync(message.ImportId, message.BatchNo, cancellationToken).ConfigureAwait(false);
    }
}

internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Import {ImportId} batch {BatchNo} was already recorded; delivery {DequeueCount} is a no-op")]
    public static partial void AlreadyRecorded(ILogger logger, string importId, int batchNo, long dequeueCount);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Import {ImportId} batch {BatchNo}: {Records} records, outcome {Outcome} ({FeishuOutcome}), delivery {DequeueCount}")]
    public static partial void Recorded(ILogger logger, string importId, int batchNo, int records, string outcome, string feishuOutcome, long dequeueCount);
}
