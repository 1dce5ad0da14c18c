namespace ClockSync.Feishu.Http;

/// <summary>
/// Paces one app's requests (a generic cell-rate algorithm): every caller reserves the next free slot, so a burst
/// leaves evenly spaced at the configured rate and never exceeds the server's bucket. A throttled answer pushes the
/// next slot past the server's reset time for every caller at once.
/// </summary>
internal sealed class FeishuRateLimiter
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;
    private long _theoreticalArrival;

    public FeishuRateLimiter(double requestsPerSecond, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _interval = (long)Math.Ceiling(timeProvider.TimestampFrequency / requestsPerSecond);
        _tolerance = _interval * (burst - 1);
        _theoreticalArrival = timeProvider.GetTimestamp();
    }

    /// <summary>Waits for this caller's slot. A cancelled wait gives its slot up to nobody: it simply passes.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        long wait;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var arrival = Math.Max(_theoreticalArrival, now);
            wait = arrival - _tolerance - now;
            _theoreticalArrival = arrival + _interval;
        }

        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), _time, cancellationToken);
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

        lock (_gate)
        {
            var resumeAt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            _theoreticalArrival = Math.Max(_theoreticalArrival, resumeAt + _tolerance);
        }
    }
}
