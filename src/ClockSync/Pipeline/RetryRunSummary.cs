namespace ClockSync.Pipeline;

/// <summary>One retry run: how many due rows were claimed, posted, rescheduled and parked.</summary>
public sealed record RetryRunSummary(int Claimed, int Posted, int Rescheduled, int Parked);
