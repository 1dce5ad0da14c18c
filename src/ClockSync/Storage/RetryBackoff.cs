namespace ClockSync.Storage;

/// <summary>Exponential backoff with equal jitter (see <see cref="RetryOptions"/>).</summary>
public sealed class RetryBackoff
{
    private readonly RetryOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();

    /// <param name="random">Injectable so tests can pin the jitter; <see cref="Random.Shared"/> otherwise.</param>
    public RetryBackoff(RetryOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random ?? Random.Shared;
    }

    /// <summary>The wait after <paramref name="attempts"/> failed attempts, never shorter than <paramref name="retryAfter"/>.</summary>
    public TimeSpan DelayAfter(int attempts, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var exponent = Math.Min(attempts - 1, 30);
        var ceiling = _options.BaseDelay.Ticks * Math.Pow(2, exponent);
        var capped = Math.Min(ceiling, _options.MaxDelay.Ticks);
        double fraction;
        lock (_gate)
        {
            fraction = _random.NextDouble();
        }

        var delay = TimeSpan.FromTicks((long)((capped / 2) + (fraction * capped / 2)));
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
