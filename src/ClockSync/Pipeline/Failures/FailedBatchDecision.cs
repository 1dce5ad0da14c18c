using ClockSync.Storage.Batches;

namespace ClockSync.Pipeline.Failures;

/// <summary>The whole verdict on one post of some records.</summary>
public sealed record FailedBatchDecision(
    IReadOnlyList<BatchRecord> Posted,
    FailedBatchPart? Pending,
    IReadOnlyList<FailedBatchPart> Parked,
    IReadOnlyList<FailedBatchPart> Held,
    bool Throttled)
{
    public long PunchesParked => Parked.Sum(part => (long)part.Records.Count);

    public long PunchesHeld => Held.Sum(part => (long)part.Records.Count);
}
