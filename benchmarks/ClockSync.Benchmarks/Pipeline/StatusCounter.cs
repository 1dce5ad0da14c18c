using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>Counts the table service's responses (all, and 412 Precondition Failed: a lost ETag race).</summary>
internal sealed class StatusCounter : HttpPipelineSynchronousPolicy
{
    private long _responses;
    private long _preconditionFailed;

    public (long Responses, long PreconditionFailed) Snapshot() => (Interlocked.Read(ref _responses), Interlocked.Read(ref _preconditionFailed));

    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _responses);
        // A transaction reports its failed operation inside a 202 multipart body, so look there too.
        if (message.Response.Status == 412 || (message.Response.Status == 202 && ContainsPreconditionFailed(message.Response)))
        {
            Interlocked.Increment(ref _preconditionFailed);
        }
    }

    private static bool ContainsPreconditionFailed(Response response) =>
        response.ContentStream is { CanSeek: true } stream && ReadAll(stream).Contains("412 Precondition Failed", StringComparison.Ordinal);

    private static string ReadAll(Stream stream)
    {
        var position = stream.Position;
        using var reader = new StreamReader(stream, leaveOpen: true);
        var text = reader.ReadToEnd();
        stream.Position = position;
        return text;
    }
}
