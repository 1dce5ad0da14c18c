namespace ClockSync.Pipeline;

/// <summary>One retry run: how many due rows were claimed, posted, rescheduled and parked.</summary>
/// <param name="Held">Rows whose remaining records all belonged to users Feishu refused: held, the row gone.</param>
/// <param name="Released">Held punches mapped again and posted because the id mapping changed.</param>
public sealed record RetryRunSummary(int Claimed, int Posted, int Rescheduled, int Parked, int Held = 0, int Released = 0);
