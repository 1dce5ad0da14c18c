namespace ClockSync.FeishuSandbox;

/// <summary>Every request the sandbox served on the Open API paths, in order. Thread-safe.</summary>
public sealed class SandboxRequestLog
{
    private readonly Lock _gate = new();
    private readonly List<SandboxRequestRecord> _records = [];
    private readonly CountWaiters _waiters = new();
    private long _sequence;

    /// <summary>Number of logged requests.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>A copy of the log.</summary>
    public IReadOnlyList<SandboxRequestRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> requests are logged — how tests wait for an exchange the
    /// client cannot observe (a dropped connection, a client abort) without sleeping.
    /// </summary>
    public Task WaitForCountAsync(int count, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            signal = _waiters.Add(_records.Count, count);
        }

        return signal is null ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets every record (sequence numbers keep counting).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }

    internal SandboxRequestRecord Add(SandboxRequestRecord record)
    {
        List<TaskCompletionSource> released;
        SandboxRequestRecord stored;
        lock (_gate)
        {
            stored = record with { Sequence = ++_sequence };
            _records.Add(stored);
            released = _waiters.Release(_records.Count);
        }

        foreach (var signal in released)
        {
            signal.TrySetResult();
        }

        return stored;
    }
}
