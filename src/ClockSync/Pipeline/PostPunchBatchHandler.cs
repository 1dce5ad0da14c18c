using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.CallCounts;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Logging;

namespace ClockSync.Pipeline;

/// <summary>
/// Posts one queued batch to Feishu and records the outcome durably before the message completes. A batch whose
/// marker exists (a redelivered or duplicated message) is not posted again. If the process dies after the post and
/// before the record, the redelivery posts again and Feishu de-duplicates on <c>idempotent_id</c>. Punches of users
/// Feishu already refused are held without a call; the rest of the batch is posted. Users this process has not seen
/// Feishu answer for yet are claimed first (<see cref="UnknownUserRegistry.ClaimAsync"/>): a batch sharing them with
/// one being posted or isolated waits for it, so one new unknown user costs one isolation, not one per delivery.
/// </summary>
/// <remarks>
/// On the last delivery (<see cref="StorageOptions.MaxDequeueCount"/>) a batch that still fails is written to
/// FailedBatches as pending with the error and the message completes: the poison queue must never hold the only copy
/// of punches (nothing counts or retries it there, and it expires).
/// </remarks>
public sealed partial class PostPunchBatchHandler(
    PipelineStorage storage,
    ImportStore imports,
    BatchMessenger messenger,
    BatchPoster poster,
    BatchOutcomeRecorder recorder,
    UnknownUserStore unknownUsers,
    UnknownUserRegistry registry,
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
        await storage.EnsureCreatedAsync(cancellationToken);

        if (await imports.IsBatchRecordedAsync(message.ImportId, message.BatchNo, cancellationToken))
        {
            LogAlreadyRecorded(logger, message.ImportId, message.BatchNo, dequeueCount);
            await settled.AfterPostAsync(message.ImportId, message.BatchNo, cancellationToken);
            return;
        }

        var records = await messenger.ReadRecordsAsync(message, cancellationToken);
        try
        {
            await PostAndRecordAsync(message, records, dequeueCount, cancellationToken);
        }
        catch (Exception exception) when (dequeueCount >= storage.Options.MaxDequeueCount && exception is not OperationCanceledException)
        {
            // The last delivery: the queue would move the message to poison. Keep the punches where the retry timer finds them.
            LogLastDelivery(logger, message.ImportId, message.BatchNo, dequeueCount, exception.GetType().Name);
            var error = new FeishuCallError(null, $"Not recorded after {dequeueCount} deliveries: {exception.GetType().Name}: {exception.Message}", null, null);
            await recorder.RecordFirstPostAsync(
                message.ImportId, message.BatchNo, records, new FeishuBatchOutcome.TransientFailure(FeishuTransientCause.ConnectionFailed, error, null), [], cancellationToken);
        }
    }

    private async Task PostAndRecordAsync(BatchMessage message, IReadOnlyList<BatchRecord> records, long dequeueCount, CancellationToken cancellationToken)
    {
        FeishuBatchOutcome? outcome;
        IReadOnlyList<BatchRecord> toPost;
        List<BatchRecord> held;
        using (await registry.ClaimAsync(records.Select(record => record.UserId), cancellationToken))
        {
            // Read after the claim: a delivery this one waited for has convicted its users by now.
            var unknown = await unknownUsers.UnknownIdsAsync(cancellationToken);
            held = unknown.Count == 0 ? [] : records.Where(record => unknown.Contains(record.UserId)).ToList();
            toPost = held.Count == 0 ? records : records.Where(record => !unknown.Contains(record.UserId)).ToList();
            outcome = toPost.Count == 0 ? null : await poster.PostAsync(toPost, cancellationToken);
        }

        var marker = await recorder.RecordFirstPostAsync(message.ImportId, message.BatchNo, toPost, outcome, held, cancellationToken);
        LogRecorded(logger, message.ImportId, message.BatchNo, records.Count, marker ?? "already recorded by another delivery", outcome?.GetType().Name ?? "not sent", dequeueCount);
        await callCounts.FlushIfDueAsync(cancellationToken);
        await settled.AfterPostAsync(message.ImportId, message.BatchNo, cancellationToken);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Import {ImportId} batch {BatchNo} was already recorded; delivery {DequeueCount} is a no-op")]
    private static partial void LogAlreadyRecorded(ILogger logger, string importId, int batchNo, long dequeueCount);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Import {ImportId} batch {BatchNo}: {Records} records, outcome {Outcome} ({FeishuOutcome}), delivery {DequeueCount}")]
    private static partial void LogRecorded(ILogger logger, string importId, int batchNo, int records, string outcome, string feishuOutcome, long dequeueCount);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Import {ImportId} batch {BatchNo} failed on its last delivery ({DequeueCount}, {ErrorType}); recorded as pending in FailedBatches instead of leaving it to the poison queue")]
    private static partial void LogLastDelivery(ILogger logger, string importId, int batchNo, long dequeueCount, string errorType);
}
