using System.Globalization;
using ClockSync.Feishu;
using ClockSync.Storage.Batches;
using ClockSync.Storage.Failures;

namespace ClockSync.Pipeline;

/// <summary>Builds <c>FailedBatches</c> rows from outcomes; the reasons are what an operator reads.</summary>
internal static class FailureRows
{
    public static string RetryRowKey(int batchNo) => string.Create(CultureInfo.InvariantCulture, $"{batchNo:D6}-r");

    public static string ParkedRowKey(int batchNo, int attempt) => string.Create(CultureInfo.InvariantCulture, $"{batchNo:D6}-p{attempt}");

    public static FailedBatchEntity Create(string importId, int batchNo, string rowKey, IReadOnlyList<BatchRecord> records, FeishuCallError? error)
    {
        var row = new FailedBatchEntity
        {
            PartitionKey = importId,
            RowKey = rowKey,
            BatchNo = batchNo,
            Records = FailedBatchStore.SerializeRecords(records),
            RecordCount = records.Count,
        };
        SetError(row, error);
        return row;
    }

    public static void SetError(FailedBatchEntity row, FeishuCallError? error)
    {
        row.LastErrorCode = error?.Code;
        row.LastHttpStatus = error?.HttpStatus;
        row.LastErrorMessage = error?.Message;
        row.LastLogId = error?.LogId;
    }

    public static string Describe(FeishuCallError error) =>
        string.Create(CultureInfo.InvariantCulture, $"code {error.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, HTTP {error.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {error.Message} (log id {error.LogId ?? "none"})");

    /// <summary>The park reason of records that failed for good inside a partly accepted batch.</summary>
    public static string ParkReason(IEnumerable<FeishuRecordFailure> failures)
    {
        var parts = failures
            .GroupBy(failure => (failure.Kind, failure.Record.UserId))
            .Select(group => group.Key.Kind == FeishuRecordFailureKind.UnknownUser
                ? $"user {group.Key.UserId} is unknown to Feishu or outside the app's data scope ({group.First().Reason}; {Describe(group.First().Error)}): fix the id mapping or the app's scope, then re-queue"
                : $"user {group.Key.UserId}: {group.First().Reason} ({Describe(group.First().Error)})");
        return string.Join("; ", parts);
    }

    public const string AuthParkReason =
        "Feishu refused the app credentials even after the token was refreshed and the secrets were re-read; check the app id and secret in Key Vault and that the app is enabled";
}
