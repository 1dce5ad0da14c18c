using ClockSync.Feishu.Http;
using ClockSync.Storage.Batches;

namespace ClockSync.Pipeline.Failures;

/// <summary>Records that share a fate, with what Feishu said and, for pending ones, when to try again.</summary>
/// <param name="AttemptCounted">False when the attempt does not count toward <see cref="RetryOptions.MaxAttempts"/> (quota exhausted).</param>
public sealed record FailedBatchPart(
    FailedBatchFate Fate,
    IReadOnlyList<BatchRecord> Records,
    FeishuCallError? Error,
    string? Reason,
    DateTimeOffset NextDueUtc = default,
    int AuthFailures = 0,
    bool AttemptCounted = true);
