using Azure.Core;
using Azure.Core.Pipeline;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// A queue-client pipeline policy that plays a host dying mid-ingest: once armed, the first N message sends go
/// through and the next one cancels the ingest's token and fails, as the Functions host cancels a dying invocation.
/// </summary>
internal sealed class CrashAfterQueueSends : HttpPipelineSynchronousPolicy
{
    private CancellationTokenSource? _crash;
    private int _allowed;
    private int _sent;

    /// <summary>Sends that went through while armed.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Lets <paramref name="allowedSends"/> sends through, then cancels <paramref name="crash"/> (owned by the test).</summary>
    public void Arm(int allowedSends, CancellationTokenSource crash)
    {
        _crash = crash;
        _allowed = allowedSends;
        _sent = 0;
    }

    public void Disarm() => _crash = null;

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var crash = _crash;
        if (crash is null || message.Request.Method != RequestMethod.Post
            || !message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Increment(ref _sent) > _allowed)
        {
            Interlocked.Decrement(ref _sent);
            crash.Cancel();
            throw new OperationCanceledException("The host died mid-ingest (test).", crash.Token);
        }
    }
}
