namespace ClockSync.FeishuSandbox;

/// <summary>Every request the sandbox served on the Open API paths, in order. Thread-safe.</summary>
public sealed class SandboxRequestLog
{
    private readonly Lock gate = new();
    private readonly List<SandboxRequestRecord> records = [];
    private readonly CountWaiters waiters = new();
    private long sequence;

    /// <summary>Number of logged requests.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return records.Count;
            }
        }
    }

    /// <summary>A copy of the log.</summary>
    public IReadOnlyList<SandboxRequestRecord> Snapshot()
    {
        lock (gate)
        {
            return [.. records];
        }
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> requests are logged — how tests wait for an exchange the
    /// client cannot observe (a dropped connection, a client abort) without sleeping.
    /// </summary>
    public Task WaitForCountAsync(int count, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource? signal;
        lock (gate)
        {
            signal = waiters.Add(records.Count, count);
        }

        return signal is null ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets every record (sequence numbers keep counting).</summary>
    public void Clear()
    {
        lock (gate)
        {
            records.Clear();
        }
    }

    internal SandboxRequestRecord Add(SandboxRequestRecord record)
    {
        List<TaskCompletionSource> released;
        SandboxRequestRecord stored;
        lock (gate)
        {
            stored = record with { Sequence = ++sequence };
            records.Add(stored);
            released = waiters.Release(records.Count);
        }

        foreach (var signal in released)
        {
            signal.TrySetResult();
        }

        return stored;
    }
}
