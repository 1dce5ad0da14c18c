namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// Real timers and timestamps (so rate limiters and HTTP timeouts behave), with a wall clock the test can move
/// forward to make failed batches due without waiting.
/// </summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
