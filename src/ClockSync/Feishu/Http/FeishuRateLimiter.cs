namespace ClockSync.Feishu;

/// <summary>
/// Paces one app's requests (a generic cell-rate algorithm): every caller reserves the next free slot, so a burst
/// leaves evenly spaced at the configured rate and never exceeds the server's bucket. A throttled answer pushes the
/// next slot past the server's reset time for every caller at once.
/// </summary>
internal sealed class FeishuRateLimiter
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly long interval;
    private readonly long tolerance;
    private long theoreticalArrival;

    public FeishuRateLimiter(double requestsPerSecond, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentNullException.ThrowIfNull(timeProvider);
        time = timeProvider;
        interval = (long)Math.Ceiling(timeProvider.TimestampFrequency / requestsPerSecond);
        tolerance = interval * (burst - 1);
        theoreticalArrival = timeProvider.GetTimestamp();
    }

    /// <summary>Waits for this caller's slot. A cancelled wait gives its slot up to nobody: it simply passes.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        long wait;
        lock (gate)
        {
            var now = time.GetTimestamp();
            var arrival = Math.Max(theoreticalArrival, now);
            wait = arrival - tolerance - now;
            theoreticalArrival = arrival + interval;
        }

        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / time.TimestampFrequency), time, cancellationToken);
        }
    }

    /// <summary>
    /// The server said it is throttling: no request leaves before <paramref name="delay"/> has passed, and the
    /// ones after that are paced again from there (no burst into a window that has only just reset).
    /// </summary>
    public void Pause(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        lock (gate)
        {
            var resumeAt = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
            theoreticalArrival = Math.Max(theoreticalArrival, resumeAt + tolerance);
        }
    }
}
