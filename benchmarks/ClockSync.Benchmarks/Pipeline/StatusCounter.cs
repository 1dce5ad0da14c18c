using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>Counts the table service's responses (all, and 412 Precondition Failed: a lost ETag race) and their total latency.</summary>
internal sealed class StatusCounter : HttpPipelineSynchronousPolicy
{
    private const string SentAt = "bench-sent-at";
    private long _responses;
    private long _preconditionFailed;
    private long _latencyTicks;

    public (long Responses, long PreconditionFailed, double Milliseconds) Snapshot() =>
        (Interlocked.Read(ref _responses), Interlocked.Read(ref _preconditionFailed), Interlocked.Read(ref _latencyTicks) * 1000.0 / Stopwatch.Frequency);

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.SetProperty(SentAt, Stopwatch.GetTimestamp());
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _responses);
        if (message.TryGetProperty(SentAt, out var sent) && sent is long started)
        {
            Interlocked.Add(ref _latencyTicks, Stopwatch.GetTimestamp() - started);
        }

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
