using System.Text.Json;
using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Flows;

/// <summary>
/// Reads a <c>code 0</c> answer of <c>batch_create</c>: which records the <c>msg</c> list names as failed, and
/// which are missing from the <c>data.flow_records</c> echo. Both readings of the unconfirmed details are
/// accepted: brackets or none, <c>", "</c> or <c>","</c>, an echo of all records or only the accepted ones.
/// </summary>
internal static class FeishuBatchAnswerReader
{
    private static readonly char[] PairSeparators = [',', '，', ';'];

    public static (List<FeishuFlowRecord> Accepted, List<FeishuRecordFailure> Failures) Read(
        IReadOnlyList<FeishuFlowRecord> sent, FeishuAnswer answer)
    {
        var listed = ListedPairs(answer.Message, sent);
        var echo = EchoedRecords(answer.Body);
        var accepted = new List<FeishuFlowRecord>(sent.Count);
        var failures = new List<FeishuRecordFailure>();
        foreach (var record in sent)
        {
            if (listed.Contains(record.FailurePair))
            {
                failures.Add(new FeishuRecordFailure(
                    record, FeishuRecordFailureKind.ListedAsFailed, $"Listed as failed by Feishu: {answer.Message}", answer.ToError()));
            }
            else if (echo is not null && !echo.Confirms(record))
            {
                failures.Add(new FeishuRecordFailure(
                    record, FeishuRecordFailureKind.MissingFromEcho, "Not echoed in data.flow_records.", answer.ToError()));
            }
            else
            {
                accepted.Add(record);
            }
        }

        return (accepted, failures);
    }

    /// <summary>
    /// The <c>user_id-creator_id</c> pairs of the batch that <paramref name="message"/> lists. Pairs are matched
    /// against the batch rather than split on '-', because ids may contain '-' themselves.
    /// </summary>
    internal static HashSet<string> ListedPairs(string message, IReadOnlyList<FeishuFlowRecord> sent)
    {
        var candidates = sent.Select(record => record.FailurePair).ToHashSet(StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var trimmed = message.Trim().TrimStart('[').TrimEnd(']');
        foreach (var part in trimmed.Split(PairSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var token = part.Trim('"', '\'', '[', ']', ' ');
            if (candidates.Contains(token))
            {
                listed.Add(token);
            }
        }

        return listed;
    }

    private static Echo? EchoedRecords(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("flow_records", out var records) || records.ValueKind != JsonValueKind.Array
            || records.GetArrayLength() == 0)
        {
            // No echo, or an empty one: a resend of records Feishu already has may answer plain success, which the
            // contract says to treat as success.
            return null;
        }

        var echo = new Echo();
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (FeishuJson.Text(record, "idempotent_id") is { Length: > 0 } idempotentId)
            {
                echo.IdempotentIds.Add(idempotentId);
            }
            else if (FeishuJson.Text(record, "user_id") is { } userId && FeishuJson.Text(record, "check_time") is { } checkTime)
            {
                echo.UserTimes.Add((userId, checkTime));
            }
        }

        return echo;
    }

    private sealed class Echo
    {
        public HashSet<string> IdempotentIds { get; } = new(StringComparer.Ordinal);

        public HashSet<(string UserId, string CheckTime)> UserTimes { get; } = [];

        public bool Confirms(FeishuFlowRecord record) =>
            IdempotentIds.Contains(record.IdempotentId)
            || UserTimes.Contains((record.UserId, record.CheckTime.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
