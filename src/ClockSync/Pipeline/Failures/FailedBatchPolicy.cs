using System.Globalization;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline.Failures;

/// <summary>
/// The one place that decides what a Feishu outcome means for the records posted: done, pending (with the next due time),
/// held (unknown user) or parked (with the reason an operator reads). The post handler (a batch's first post), the retry
/// timer and the release of held punches all ask it, so a rule is written once.
/// </summary>
/// <remarks>
/// The rules: an unknown user (1220004 isolated to the user, 1220600 "employee_no invalid", or a user listed in a
/// partial-success <c>msg</c>, which is how that reading names unknown users) is held; a sealed month is parked with what
/// to do; any other permanent refusal is parked; a quota exhaustion is pending without counting the attempt and never
/// parks; throttling, server faults and unconfirmed records are pending until <see cref="RetryOptions.MaxAttempts"/>;
/// auth failures park after <see cref="RetryOptions.AuthFailuresBeforeParking"/> in a row.
/// </remarks>
public sealed class FailedBatchPolicy(RetryBackoff backoff, IOptions<RetryOptions> options)
{
    /// <summary>
    /// When no pause is in force although a batch was refused for the quota (the pause row could not be read or written),
    /// the batch is looked at again after this long rather than at once: the quota does not come back in seconds.
    /// </summary>
    public static readonly TimeSpan QuotaRecheckWithoutPause = TimeSpan.FromHours(1);

    public const string SealedParkReason = "period sealed (封账): ask the attendance admin to unseal or enter by hand";

    public const string AuthParkReason =
        "Feishu refused the app credentials even after the token was refreshed and the secrets were re-read; check the app id and secret in Key Vault and that the app is enabled";

    private RetryOptions Retry => options.Value;

    /// <param name="outcome">What Feishu made of <paramref name="records"/>.</param>
    /// <param name="records">The records posted.</param>
    /// <param name="attempt">This post's number (1 for a batch's first post) in the row's current round.</param>
    /// <param name="authFailuresBefore">Auth failures in a row before this post.</param>
    /// <param name="now">The time of the verdict.</param>
    /// <param name="quotaResumesAt">When posting may resume after a quota exhaustion.</param>
    public FailedBatchDecision Decide(
        FeishuBatchOutcome outcome, IReadOnlyList<BatchRecord> records, int attempt, int authFailuresBefore, DateTimeOffset now, DateTimeOffset quotaResumesAt)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(records);
        var throttled = BatchPoster.IsThrottled(outcome);
        switch (outcome)
        {
            case FeishuBatchOutcome.Accepted:
                return new FailedBatchDecision(records, null, [], [], throttled);

            case FeishuBatchOutcome.QuotaExhausted quota:
                return new FailedBatchDecision([], Waiting(records, quota.Error, quotaResumesAt, authFailuresBefore), [], [], throttled);

            case FeishuBatchOutcome.TransientFailure transient:
                return Retryable(records, transient.Error, transient.RetryAfter, authFailure: false, attempt, authFailuresBefore, now, throttled);

            case FeishuBatchOutcome.AuthFailure auth:
                return Retryable(records, auth.Error, null, authFailure: true, attempt, authFailuresBefore, now, throttled);

            case FeishuBatchOutcome.PermanentFailure permanent when permanent.FailedUserIds.Count > 0:
                var refused = permanent.FailedUserIds.ToHashSet(StringComparer.Ordinal);
                var rest = records.Where(record => !refused.Contains(record.UserId)).ToList();
                return new FailedBatchDecision(
                    [],
                    null,
                    rest.Count == 0 ? [] : [Park(rest, permanent.Error, RefusedReason(permanent.Error))],
                    [new FailedBatchPart(FailedBatchFate.Held, records.Where(record => refused.Contains(record.UserId)).ToList(), permanent.Error, UnknownReason(permanent.Error))],
                    throttled);

            case FeishuBatchOutcome.PermanentFailure permanent:
                return new FailedBatchDecision([], null, [Park(records, permanent.Error, ParkReasonOf(permanent.Error))], [], throttled);

            case FeishuBatchOutcome.PartiallyAccepted partial:
                return Partly(partial, records, attempt, authFailuresBefore, now, quotaResumesAt, throttled);

            default:
                throw new InvalidOperationException($"Unknown Feishu outcome {outcome.GetType().Name}.");
        }
    }

    private FailedBatchDecision Partly(
        FeishuBatchOutcome.PartiallyAccepted partial, IReadOnlyList<BatchRecord> records, int attempt, int authFailuresBefore, DateTimeOffset now,
        DateTimeOffset quotaResumesAt, bool throttled)
    {
        var byId = records.GroupBy(record => record.IdempotentId, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var failedIds = partial.Failures.Select(failure => failure.Record.IdempotentId).ToHashSet(StringComparer.Ordinal);
        var posted = records.Where(record => !failedIds.Contains(record.IdempotentId)).ToList();
        var held = new List<FailedBatchPart>();
        var parked = new List<FailedBatchPart>();
        var retryable = new List<FeishuRecordFailure>();
        foreach (var group in partial.Failures.GroupBy(failure => FateOf(failure.Kind)))
        {
            var failures = group.ToList();
            switch (group.Key)
            {
                case FailedBatchFate.Held:
                    held.Add(new FailedBatchPart(FailedBatchFate.Held, Pick(byId, failures), failures[0].Error, UnknownReason(failures[0].Error)));
                    break;
                case FailedBatchFate.Parked:
                    parked.AddRange(failures.GroupBy(failure => failure.Kind).Select(kind => Park(
                        Pick(byId, kind), kind.First().Error, kind.Key == FeishuRecordFailureKind.SealedPeriod ? SealedParkReason : PartReason(kind))));
                    break;
                default:
                    retryable.AddRange(failures);
                    break;
            }
        }

        FailedBatchPart? pending = null;
        if (retryable.Count > 0)
        {
            var waiting = Pick(byId, retryable);
            if (retryable.Find(failure => failure.Kind == FeishuRecordFailureKind.QuotaExhausted) is { } quota)
            {
                pending = Waiting(waiting, quota.Error, quotaResumesAt, authFailuresBefore);
            }
            else
            {
                var decided = Retryable(waiting, retryable[0].Error, partial.RetryAfter, retryable.TrueForAll(failure => failure.Kind == FeishuRecordFailureKind.Auth),
                    attempt, authFailuresBefore, now, throttled);
                pending = decided.Pending;
                parked.AddRange(decided.Parked);
            }
        }

        return new FailedBatchDecision(posted, pending, parked, held, throttled);
    }

    private FailedBatchDecision Retryable(
        IReadOnlyList<BatchRecord> records, FeishuCallError error, TimeSpan? retryAfter, bool authFailure, int attempt, int authFailuresBefore, DateTimeOffset now, bool throttled)
    {
        var authFailures = authFailure ? authFailuresBefore + 1 : 0;
        if (authFailure && authFailures >= Retry.AuthFailuresBeforeParking)
        {
            return new FailedBatchDecision([], null, [Park(records, error, AuthParkReason) with { AuthFailures = authFailures }], [], throttled);
        }

        if (attempt >= Retry.MaxAttempts)
        {
            var users = string.Join(", ", records.Select(record => record.UserId).Distinct(StringComparer.Ordinal));
            return new FailedBatchDecision([], null, [Park(records, error, string.Create(CultureInfo.InvariantCulture,
                $"gave up after {attempt} attempts; last error {Describe(error)}; users: {users}")) with { AuthFailures = authFailures }], [], throttled);
        }

        return new FailedBatchDecision(
            [], new FailedBatchPart(FailedBatchFate.Pending, records, error, null, now + backoff.DelayAfter(attempt, retryAfter), authFailures), [], [], throttled);
    }

    private static FailedBatchPart Waiting(IReadOnlyList<BatchRecord> records, FeishuCallError error, DateTimeOffset resumesAt, int authFailuresBefore) =>
        new(FailedBatchFate.Pending, records, error, null, resumesAt, authFailuresBefore, AttemptCounted: false);

    private static FailedBatchPart Park(IReadOnlyList<BatchRecord> records, FeishuCallError error, string reason) =>
        new(FailedBatchFate.Parked, records, error, reason);

    private static FailedBatchFate FateOf(FeishuRecordFailureKind kind) => kind switch
    {
        FeishuRecordFailureKind.UnknownUser or FeishuRecordFailureKind.ListedAsFailed => FailedBatchFate.Held,
        FeishuRecordFailureKind.SealedPeriod or FeishuRecordFailureKind.Permanent => FailedBatchFate.Parked,
        _ => FailedBatchFate.Pending,
    };

    private static List<BatchRecord> Pick(Dictionary<string, BatchRecord> byId, IEnumerable<FeishuRecordFailure> failed) =>
        failed.Select(failure => failure.Record.IdempotentId).Distinct(StringComparer.Ordinal)
            .Select(id => byId.TryGetValue(id, out var record) ? record : null)
            .OfType<BatchRecord>()
            .ToList();

    private static string ParkReasonOf(FeishuCallError error) =>
        FeishuErrorClassifier.IsSealedPeriod(error) ? SealedParkReason : RefusedReason(error);

    private static string RefusedReason(FeishuCallError error) => "Feishu refused the batch permanently (" + Describe(error) + ")";

    private static string UnknownReason(FeishuCallError error) =>
        "unknown to Feishu or outside the app's data scope (" + Describe(error) + "): held until the id mapping changes or 'clocksync users retry'";

    private static string PartReason(IEnumerable<FeishuRecordFailure> failures) => string.Join("; ", failures
        .GroupBy(failure => failure.Record.UserId, StringComparer.Ordinal)
        .Select(group => $"user {group.Key}: {group.First().Reason} ({Describe(group.First().Error)})"));

    public static string Describe(FeishuCallError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return string.Create(CultureInfo.InvariantCulture,
            $"code {error.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, HTTP {error.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {error.Message} (log id {error.LogId ?? "none"})");
    }
}
