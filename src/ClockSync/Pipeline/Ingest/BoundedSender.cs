namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// Runs up to N sends at once and knows the highest batch number n such that every batch up to n is done — the
/// ingest checkpoint. A failed send fails <see cref="WhenAllAsync"/>, and the ingest with it, before the checkpoint
/// can pass that batch.
/// </summary>
internal sealed class BoundedSender(int parallelism) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(parallelism, parallelism);
    private readonly List<Task> _running = [];
    private readonly SortedSet<int> _done = [];
    private readonly Lock _gate = new();
    private int? _frontier;

    public async Task StartAsync(int batchNo, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        lock (_gate)
        {
            _running.RemoveAll(task => task.IsCompletedSuccessfully);
            var faulted = _running.FirstOrDefault(task => task.IsFaulted || task.IsCanceled);
            if (faulted is not null)
            {
                _slots.Release();
                faulted.GetAwaiter().GetResult();
            }
        }

        // Started outside the gate: a send runs synchronously up to its first await (serialising, signing, writing the
        // request), and every send that completes meanwhile needs the gate to mark itself done. Only this method adds,
        // and WhenAllAsync is called once the last start has returned, so the list misses nothing.
        var running = RunAsync(batchNo, send, cancellationToken);
        lock (_gate)
        {
            _running.Add(running);
        }
    }

    public void MarkDone(int batchNo)
    {
        lock (_gate)
        {
            _done.Add(batchNo);
        }
    }

    /// <summary>The highest n with every batch from <paramref name="from"/>+1 to n done.</summary>
    public int ContiguousDone(int from)
    {
        lock (_gate)
        {
            var n = Math.Max(_frontier ?? from, from);
            while (_done.Remove(n + 1))
            {
                n++;
            }

            _frontier = n;
            return n;
        }
    }

    public Task WhenAllAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_running);
        }
    }

    private async Task RunAsync(int batchNo, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        try
        {
            await send(cancellationToken);
            MarkDone(batchNo);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
