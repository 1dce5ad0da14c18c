using Azure.Core;
using Azure.Core.Pipeline;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// A blob-client pipeline policy that holds the Nth download (GET) of a blob until the test opens the gate: the
/// ingest stops between two chunks of its pinned read, so the test can overwrite the blob exactly mid-read.
/// </summary>
internal sealed class BlobReadGate(int holdDownload) : HttpPipelinePolicy
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _downloads;

    /// <summary>Completes when the held download is waiting at the gate.</summary>
    public Task Reached => _reached.Task;

    public void Open() => _open.TrySetResult();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Hold(message).GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        await Hold(message);
        await ProcessNextAsync(message, pipeline);
    }

    private Task Hold(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get || Interlocked.Increment(ref _downloads) != holdDownload)
        {
            return Task.CompletedTask;
        }

        _reached.TrySetResult();
        return _open.Task;
    }
}
