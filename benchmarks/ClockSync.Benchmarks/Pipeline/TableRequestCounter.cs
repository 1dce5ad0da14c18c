using Azure.Core;
using Azure.Core.Pipeline;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// Counts what the table service is asked, by kind: reads of the ledger table (a day partition, or a page of one),
/// entity-group transactions (the ledger's claims: the only transactions the ingest sends), and everything else
/// (the Imports row, unknown users, table creation).
/// </summary>
internal sealed class TableRequestCounter(string ledgerTable) : HttpPipelineSynchronousPolicy
{
    private long _ledgerReads;
    private long _transactions;
    private long _other;

    public TableRequests Snapshot() =>
        new(Interlocked.Read(ref _ledgerReads), Interlocked.Read(ref _transactions), Interlocked.Read(ref _other));

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = message.Request.Uri.Path;
        if (path.EndsWith("/$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _transactions);
        }
        else if (message.Request.Method == RequestMethod.Get && path.Contains("/" + ledgerTable + "(", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _ledgerReads);
        }
        else
        {
            Interlocked.Increment(ref _other);
        }
    }
}

/// <summary>Table requests counted by <see cref="TableRequestCounter"/>.</summary>
internal readonly record struct TableRequests(long LedgerReads, long Transactions, long Other)
{
    public static TableRequests operator -(TableRequests after, TableRequests before) =>
        new(after.LedgerReads - before.LedgerReads, after.Transactions - before.Transactions, after.Other - before.Other);

    public long Total => LedgerReads + Transactions + Other;
}
