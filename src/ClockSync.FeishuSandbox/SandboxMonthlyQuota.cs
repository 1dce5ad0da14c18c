namespace ClockSync.FeishuSandbox;

/// <summary>
/// The tenant's monthly call quota (docs/feishu-contract.md §4): once <see cref="Limit"/> counted calls were made, attendance calls
/// answer HTTP 429 with 99991403. Counted are <c>batch_create</c> and <c>query</c> calls that succeed; calls answered
/// with an error (4xx/5xx, or a non-zero code) and token calls are not. A call takes its place when it arrives and gives
/// it back if it fails, so concurrent calls can never pass the limit together.
/// </summary>
public sealed class SandboxMonthlyQuota
{
    private readonly Lock _gate = new();
    private int? _limit;
    private long _counted;
    private long _held;

    public SandboxMonthlyQuota(int? limit) => _limit = limit;

    /// <summary>The quota; <c>null</c> means none. Raising it at run time plays an upgrade or a new month.</summary>
    public int? Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>Successful counted calls so far.</summary>
    public long Counted
    {
        get
        {
            lock (_gate)
            {
                return _counted;
            }
        }
    }

    /// <summary>Sets a new quota; <paramref name="resetCount"/> also starts a new month.</summary>
    public void Set(int? newLimit, bool resetCount = false)
    {
        lock (_gate)
        {
            _limit = newLimit;
            if (resetCount)
            {
                _counted = 0;
            }
        }
    }

    /// <summary>Takes a place for one call; false when the quota is used up (counting calls still in flight).</summary>
    internal bool TryTake()
    {
        lock (_gate)
        {
            if (_limit is { } cap && _counted + _held >= cap)
            {
                return false;
            }

            _held++;
            return true;
        }
    }

    /// <summary>Ends a call that took a place: counted when it succeeded, given back otherwise.</summary>
    internal void Complete(bool succeeded)
    {
        lock (_gate)
        {
            _held--;
            if (succeeded)
            {
                _counted++;
            }
        }
    }
}
