using System.Threading.Channels;
using ClockSync.Punches;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// Sends an ingest's batches to the queue behind a bounded buffer, so the reader keeps parsing and claiming the next
/// group while up to N sends are in flight: the queue's latency, not the ledger writes between groups, sets the pace.
/// Knows the ingest checkpoint (<see cref="ContiguousDone"/>). A failed send stops the pump; the next
/// <see cref="EnqueueAsync"/> or <see cref="CompleteAsync"/> throws it.
/// </summary>
internal sealed class BatchEnqueuePump : IAsyncDisposable
{
    private const int Buffered = 64;

    private readonly Channel<(int BatchNo, IReadOnlyList<Punch> Punches)> _buffer =
        Channel.CreateBounded<(int, IReadOnlyList<Punch>)>(new BoundedChannelOptions(Buffered) { SingleReader = true, SingleWriter = true });

    private readonly BoundedSender _sender;
    private readonly int _checkpointFrom;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pumping;
    private int _sent;

    /// <param name="parallelism">Sends in flight at most.</param>
    /// <param name="checkpointFrom">Batches up to this number were enqueued by an earlier run.</param>
    /// <param name="send">Sends one batch.</param>
    /// <param name="cancellationToken">Stops the pump.</param>
    public BatchEnqueuePump(int parallelism, int checkpointFrom, Func<int, IReadOnlyList<Punch>, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        _sender = new BoundedSender(parallelism);
        _checkpointFrom = checkpointFrom;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // On the thread pool: the caller's synchronisation context (a test runner's, a host's) must not carry the pump.
        _pumping = Task.Run(() => PumpAsync(send, _stop.Token), CancellationToken.None);
    }

    /// <summary>Batches handed to the queue by this run.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Queues a batch for sending; waits while the buffer is full.</summary>
    public async Task EnqueueAsync(int batchNo, IReadOnlyList<Punch> punches, CancellationToken cancellationToken)
    {
        try
        {
            await _buffer.Writer.WriteAsync((batchNo, punches), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await _pumping;
            throw;
        }
    }

    /// <summary>A batch with nothing to send (every punch of it was lost to another import) counts as done.</summary>
    public void MarkDone(int batchNo) => _sender.MarkDone(batchNo);

    /// <summary>The highest n such that every batch up to n has been handed to the queue (this run or an earlier one).</summary>
    public int ContiguousDone() => _sender.ContiguousDone(_checkpointFrom);

    /// <summary>Sends what is buffered and waits for every send.</summary>
    public async Task CompleteAsync()
    {
        _buffer.Writer.TryComplete();
        await _pumping;
        await _sender.WhenAllAsync();
    }

    /// <summary>Stops sending and waits for the sends in flight, so nothing still writes once the ingest returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _pumping;
            await _sender.WhenAllAsync();
        }
        catch (Exception exception) when (exception is OperationCanceledException or Azure.RequestFailedException)
        {
            // Already surfaced to the ingest (or the ingest is failing for another reason); waiting was the point.
        }

        _sender.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync(Func<int, IReadOnlyList<Punch>, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (batchNo, punches) in _buffer.Reader.ReadAllAsync(cancellationToken))
            {
                await _sender.StartAsync(batchNo, async ct =>
                {
                    await send(batchNo, punches, ct);
                    Interlocked.Increment(ref _sent);
                }, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            _buffer.Writer.TryComplete(exception);
            throw;
        }
    }
}
