namespace ClockSync.Storage.CallCounts;

/// <summary>
/// Runs an idempotent pass (a flush) at most once at a time. A caller that finds a pass running returns at once and
/// leaves a request behind; the running caller repeats the pass until no request is left, and looks again after
/// letting go, so a request made just as it finished is not stranded.
/// </summary>
internal sealed class SingleFlightLoop(Func<CancellationToken, Task> pass)
{
    private int _requested;
    private int _running;

    /// <summary>
    /// Returns at once when a pass is running (its caller runs one more for this request); otherwise runs passes until
    /// no request is left. A failed pass leaves its request for the next caller and throws.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _requested, 1);
        while (Volatile.Read(ref _requested) == 1 && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref _requested, 0) == 1)
                {
                    await RunPassAsync(cancellationToken);
                }
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }

            // Another caller may have asked between our last look and letting go, and returned because we were
            // running: the loop condition takes its request over (or leaves it to whoever got in first).
        }
    }

    private async Task RunPassAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pass(cancellationToken);
        }
        catch
        {
            // The pass did not finish: its request stands for the next caller.
            Interlocked.Exchange(ref _requested, 1);
            throw;
        }
    }
}
