namespace ClockSync.FeishuSandbox;

/// <summary>
/// Tasks that complete once a collection (the request log, the received messages) holds a given number of items: how
/// tests wait for what a client cannot observe, without sleeping. Not thread-safe itself: the owner calls it under its
/// own lock and completes the released signals after leaving it.
/// </summary>
internal sealed class CountWaiters
{
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>A task for <paramref name="count"/> items, or null when <paramref name="current"/> already reaches it.</summary>
    public TaskCompletionSource? Add(int current, int count)
    {
        if (current >= count)
        {
            return null;
        }

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((count, signal));
        return signal;
    }

    /// <summary>Removes and returns the waiters that <paramref name="current"/> items satisfy.</summary>
    public List<TaskCompletionSource> Release(int current)
    {
        List<TaskCompletionSource> released = [];
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (current >= _waiters[i].Count)
            {
                released.Add(_waiters[i].Signal);
                _waiters.RemoveAt(i);
            }
        }

        return released;
    }
}
