using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// A table-client pipeline policy (add it per call) that counts the requests sent to each table and, once armed,
/// fails the next request of one method to one table as a host dying there would.
/// </summary>
internal sealed class TableRequestTap : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(RequestMethod Method, string Path)> _sent = new();
    private (RequestMethod Method, string Table)? _crash;

    /// <summary>Requests sent to <paramref name="table"/> (point reads, queries, inserts, updates, deletes) since the last <see cref="Clear"/>.</summary>
    public int SentTo(string table) => _sent.Count(request => Names(request.Path, table));

    /// <summary>Entity-group transactions sent since the last <see cref="Clear"/> (the ledger's claims: the only transactions the ingest sends).</summary>
    public int Transactions() => _sent.Count(request => request.Path.EndsWith("/$batch", StringComparison.Ordinal));

    public void Clear() => _sent.Clear();

    /// <summary>The next <paramref name="method"/> request to <paramref name="table"/> throws instead of leaving.</summary>
    public void CrashOnNext(RequestMethod method, string table) => _crash = (method, table);

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = message.Request.Uri.Path;
        if (_crash is { } crash && message.Request.Method == crash.Method && Names(path, crash.Table))
        {
            _crash = null;
            throw new InvalidOperationException($"The host died before {crash.Method} {path} left.");
        }

        _sent.Enqueue((message.Request.Method, path));
    }

    // Paths look like /devstoreaccount1/{table}(PartitionKey='…',RowKey='…') or /devstoreaccount1/{table}().
    private static bool Names(string path, string table) =>
        path.Contains("/" + table + "(", StringComparison.Ordinal) || path.EndsWith("/" + table, StringComparison.Ordinal);
}
