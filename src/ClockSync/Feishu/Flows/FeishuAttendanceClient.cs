using System.Globalization;
using System.Text.Json;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Auth;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Feishu.Flows;

/// <summary>
/// <c>batch_create</c> and <c>query</c> with the tenant token, the shared rate limiter, error classification,
/// one resend after an invalid-token answer, and unknown-user isolation. A singleton: it creates an
/// <see cref="HttpClient"/> from the factory per call.
/// </summary>
internal sealed partial class FeishuAttendanceClient(
    FeishuChannel channel,
    TenantTokenCache tokens,
    UnknownUserRegistry registry,
    IOptionsMonitor<FeishuOptions> options,
    ILogger<FeishuAttendanceClient> logger) : IFeishuAttendanceClient
{
    internal const string BatchCreatePath = "open-apis/attendance/v1/user_flows/batch_create";
    internal const string QueryPath = "open-apis/attendance/v1/user_flows/query";

    public async Task<FeishuBatchOutcome> BatchCreateAsync(IReadOnlyList<FeishuFlowRecord> records, CancellationToken cancellationToken)
    {
        Validate(records);
        var first = await PostBatchAsync(records, cancellationToken);
        if (first.Failure is not { } failure)
        {
            return first.Failures.Count == 0
                ? new FeishuBatchOutcome.Accepted(first.Accepted)
                : new FeishuBatchOutcome.PartiallyAccepted(first.Accepted, first.Failures, null);
        }

        if (FeishuErrorClassifier.IsSealedPeriod(failure.Error))
        {
            return await SplitByMonthAsync(records, failure, cancellationToken);
        }

        var users = DistinctUsers(records);
        if (!IsUnknownUser(failure))
        {
            return failure.ToBatchOutcome([]);
        }

        if (users.Count == 1)
        {
            return failure.ToBatchOutcome(users);
        }

        LogIsolating(logger, records.Count, users.Count, failure.Error.LogId);
        var isolation = new UnknownUserIsolation(this, registry, cancellationToken);
        // Users Feishu accepted before are sent together first: the refused ones are then almost always among the few
        // it has not seen yet, and one of those alone is convicted without a call.
        var suspects = users.Where(user => !registry.IsAccepted(user)).ToList();
        if (suspects.Count > 0 && suspects.Count < users.Count)
        {
            await isolation.IsolateKnownFirstAsync(records, users.Except(suspects, StringComparer.Ordinal).ToList(), suspects, failure.Error);
        }
        else
        {
            await isolation.IsolateAsync(records, users, failure.Error);
        }

        return isolation.ToOutcome(failure);
    }

    public async Task<FeishuQueryOutcome> QueryFlowsAsync(
        IReadOnlyList<string> userIds,
        long checkTimeFrom,
        long checkTimeTo,
        bool includeTerminatedUsers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count is 0 or > IFeishuAttendanceClient.MaxBatchSize)
        {
            throw new ArgumentException($"A query takes 1 to {IFeishuAttendanceClient.MaxBatchSize} user ids, not {userIds.Count}.", nameof(userIds));
        }

        if (userIds.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A user id is empty.", nameof(userIds));
        }

        if (checkTimeTo < checkTimeFrom)
        {
            throw new ArgumentException($"check_time_to {checkTimeTo} is before check_time_from {checkTimeFrom}.", nameof(checkTimeTo));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new QueryRequest(
                userIds,
                checkTimeFrom.ToString(CultureInfo.InvariantCulture),
                checkTimeTo.ToString(CultureInfo.InvariantCulture)),
            FeishuJsonContext.Default.QueryRequest);
        var uri = $"{QueryPath}?employee_type={Uri.EscapeDataString(options.CurrentValue.EmployeeType)}"
            + (includeTerminatedUsers ? "&include_terminated_user=true" : "");
        var result = await CallAsync(FeishuCallKind.Query, uri, body, cancellationToken);
        return result.Failure is { } failure
            ? failure.ToQueryOutcome()
            : new FeishuQueryOutcome.Found(FeishuUserFlowReader.Read(result.Answer!.Body));
    }

    /// <summary>One <c>batch_create</c> call (plus one resend after an invalid-token answer).</summary>
    internal async Task<BatchCallResult> PostBatchAsync(IReadOnlyList<FeishuFlowRecord> records, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new BatchCreateRequest(records.Select(ToWire).ToList()), FeishuJsonContext.Default.BatchCreateRequest);
        var uri = $"{BatchCreatePath}?employee_type={Uri.EscapeDataString(options.CurrentValue.EmployeeType)}";
        var result = await CallAsync(FeishuCallKind.BatchCreate, uri, body, cancellationToken);
        if (result.Failure is { } failure)
        {
            LogBatchFailed(logger, records.Count, failure.Class, failure.Error.Code, failure.Error.HttpStatus, failure.Error.Message, failure.Error.LogId);
            return new BatchCallResult([], [], failure);
        }

        var (accepted, failures) = FeishuBatchAnswerReader.Read(records, result.Answer!);
        RememberAccepted(accepted, failures);
        if (failures.Count > 0)
        {
            LogPartial(logger, accepted.Count, failures.Count, result.Answer!.LogId);
        }

        return new BatchCallResult(accepted, failures, null);
    }

    internal static bool IsUnknownUser(FeishuFailure failure) =>
        failure.Class == FeishuFailureClass.Permanent && FeishuErrorClassifier.IsUnknownUser(failure.Error);

    /// <summary>
    /// A sealed month refuses the whole request: the batch is sent again month by month (Feishu's attendance months,
    /// China time), so the records of open months still land and only the sealed month's records are reported.
    /// </summary>
    private async Task<FeishuBatchOutcome> SplitByMonthAsync(IReadOnlyList<FeishuFlowRecord> records, FeishuFailure sealedAnswer, CancellationToken cancellationToken)
    {
        var months = records.GroupBy(record => MonthOf(record.CheckTime)).ToList();
        if (months.Count == 1)
        {
            return sealedAnswer.ToBatchOutcome([]);
        }

        var accepted = new List<FeishuFlowRecord>();
        var failures = new List<FeishuRecordFailure>();
        FeishuFailure? stop = null;
        foreach (var month in months)
        {
            var part = month.ToList();
            var result = stop is null ? await PostBatchAsync(part, cancellationToken) : new BatchCallResult([], [], stop);
            accepted.AddRange(result.Accepted);
            failures.AddRange(result.Failures);
            if (result.Failure is not { } failure)
            {
                continue;
            }

            var kind = FeishuErrorClassifier.IsSealedPeriod(failure.Error) ? FeishuRecordFailureKind.SealedPeriod
                : IsUnknownUser(failure) ? FeishuRecordFailureKind.UnknownUser
                : failure.Class switch
                {
                    FeishuFailureClass.Permanent => FeishuRecordFailureKind.Permanent,
                    FeishuFailureClass.Auth => FeishuRecordFailureKind.Auth,
                    FeishuFailureClass.QuotaExhausted => FeishuRecordFailureKind.QuotaExhausted,
                    _ => FeishuRecordFailureKind.Transient,
                };
            if (kind is FeishuRecordFailureKind.Auth or FeishuRecordFailureKind.Transient or FeishuRecordFailureKind.QuotaExhausted)
            {
                stop ??= failure;
            }

            failures.AddRange(part.Select(record => new FeishuRecordFailure(record, kind, failure.Error.Message, failure.Error)));
        }

        return failures.Count == 0
            ? new FeishuBatchOutcome.Accepted(accepted)
            : new FeishuBatchOutcome.PartiallyAccepted(accepted, failures, stop?.RetryAfter);
    }

    /// <summary>The attendance month (China time, where Feishu seals periods) of a check time, as yyyy-MM.</summary>
    internal static string MonthOf(long checkTime) =>
        DateTimeOffset.FromUnixTimeSeconds(checkTime).ToOffset(ChinaOffset).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// Users Feishu accepted a record of, so that after a whole-request <c>1220004</c> the isolation starts from the
    /// users it has not seen yet; users a partial answer refused are convicted for every delivery at once.
    /// </summary>
    private void RememberAccepted(List<FeishuFlowRecord> accepted, List<FeishuRecordFailure> failures)
    {
        registry.MarkAccepted(accepted.Select(record => record.UserId));
        if (failures.Exists(failure => failure.Kind == FeishuRecordFailureKind.UnknownUser))
        {
            registry.Convict(failures.Where(failure => failure.Kind == FeishuRecordFailureKind.UnknownUser).Select(failure => failure.Record.UserId));
        }
    }

    internal static List<string> DistinctUsers(IEnumerable<FeishuFlowRecord> records) =>
        records.Select(record => record.UserId).Distinct(StringComparer.Ordinal).ToList();

    private async Task<ApiCallResult> CallAsync(FeishuCallKind kind, string uri, byte[] body, CancellationToken cancellationToken)
    {
        // At most two rounds: the second only after the server refused the token, with a freshly fetched one.
        for (var round = 0; ; round++)
        {
            var tokenResult = await tokens.GetAsync(cancellationToken);
            if (tokenResult is TokenResult.Failed refused)
            {
                return new ApiCallResult(null, refused.Failure);
            }

            var token = ((TokenResult.Issued)tokenResult).Token;
            var exchange = await channel.PostAsync(token.AppId, kind, uri, body, token.Value, cancellationToken);
            if (exchange is FeishuExchange.NoAnswer none)
            {
                return new ApiCallResult(null, none.Failure);
            }

            var answer = ((FeishuExchange.Answered)exchange).Answer;
            var failure = FeishuErrorClassifier.ClassifyApiAnswer(answer);
            if (failure is { Class: FeishuFailureClass.Auth } && round == 0)
            {
                tokens.Invalidate(token);
                continue;
            }

            return new ApiCallResult(answer, failure);
        }
    }

    private static UserFlowWire ToWire(FeishuFlowRecord record) => new(
        record.UserId,
        record.CreatorId,
        record.LocationName,
        record.CheckTime.ToString(CultureInfo.InvariantCulture),
        record.Comment,
        record.ExternalId,
        record.IdempotentId,
        (int?)record.Type,
        record.IsField,
        record.IsWifi,
        record.Ssid,
        record.Bssid);

    private static void Validate(IReadOnlyList<FeishuFlowRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count is 0 or > IFeishuAttendanceClient.MaxBatchSize)
        {
            throw new ArgumentException(
                $"batch_create takes 1 to {IFeishuAttendanceClient.MaxBatchSize} records, not {records.Count}.", nameof(records));
        }

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"Record {i} is null.", nameof(records));
            RequireText(record.UserId, i, "user_id");
            RequireText(record.CreatorId, i, "creator_id");
            RequireText(record.LocationName, i, "location_name");
            RequireText(record.Comment, i, "comment");
            RequireText(record.IdempotentId, i, "idempotent_id");
        }

        static void RequireText(string? value, int index, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"Record {index}: {field} is empty.", nameof(records));
            }
        }
    }

    internal sealed record ApiCallResult(FeishuAnswer? Answer, FeishuFailure? Failure);

    internal sealed record BatchCallResult(List<FeishuFlowRecord> Accepted, List<FeishuRecordFailure> Failures, FeishuFailure? Failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch_create of {Count} records failed: {Class}, code {Code}, HTTP {Status}, msg '{Msg}', log id {LogId}.")]
    private static partial void LogBatchFailed(ILogger logger, int count, FeishuFailureClass @class, int? code, int? status, string msg, string? logId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch_create accepted {Accepted} records and failed {Failed} (log id {LogId}).")]
    private static partial void LogPartial(ILogger logger, int accepted, int failed, string? logId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch_create of {Count} records from {Users} users failed with 1220004 (log id {LogId}); isolating the unknown users.")]
    private static partial void LogIsolating(ILogger logger, int count, int users, string? logId);
}
