using Azure.Data.Tables;
using ClockSync.Punches;

namespace ClockSync.Storage.Ledger;

/// <summary>A ledger day partition as stored: its version row and its claim rows.</summary>
internal sealed record LedgerDayRead(LedgerHeadEntity? Head, List<LedgerClaimEntity> Rows);

/// <summary>
/// Reads ledger day partitions for <see cref="ImportLedger"/>. Apart from the ledger's cache because the rules of a
/// consistent read (one page is one snapshot; a day of more pages is read head first) are a concern of their own.
/// </summary>
internal static class LedgerDayReader
{
    /// <summary>
    /// One day partition as stored, in one query: a page of one partition is read from one snapshot, so it holds a
    /// claim's transaction (head and rows) whole or not at all. A day of more than one page is read again head first —
    /// any claim committed after that read changes the head, so a claim made on what follows fails its condition and
    /// re-reads instead of trusting a view that missed rows. Touches nothing but the table, so it may run ahead of the
    /// flow that uses it.
    /// </summary>
    public static async Task<LedgerDayRead> ReadAsync(PipelineStorage storage, long number, int? pageSize, CancellationToken cancellationToken)
    {
        var day = LedgerDays.Name(number);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day}");
        await foreach (var page in storage.Ledger.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages())
        {
            if (page.ContinuationToken is not null)
            {
                return await ReadHeadFirstAsync(storage, day, cancellationToken);
            }

            LedgerHeadEntity? head = null;
            var rows = new List<LedgerClaimEntity>(page.Values.Count);
            foreach (var entity in page.Values)
            {
                if (string.Equals(entity.RowKey, LedgerHeadEntity.RowKeyValue, StringComparison.Ordinal))
                {
                    head = new LedgerHeadEntity { PartitionKey = day, ETag = entity.ETag, Version = entity.GetInt64(nameof(LedgerHeadEntity.Version)) ?? 0 };
                }
                else
                {
                    rows.Add(new LedgerClaimEntity
                    {
                        PartitionKey = day,
                        RowKey = entity.RowKey,
                        ETag = entity.ETag,
                        ImportId = entity.GetString(nameof(LedgerClaimEntity.ImportId)) ?? string.Empty,
                        Entries = entity.GetBinary(nameof(LedgerClaimEntity.Entries)),
                        BatchNo = entity.GetInt32(nameof(LedgerClaimEntity.BatchNo)) ?? 0,
                        Identity = entity.GetInt32(nameof(LedgerClaimEntity.Identity)),
                        MinuteOnly = entity.GetBoolean(nameof(LedgerClaimEntity.MinuteOnly)),
                    });
                }
            }

            return new LedgerDayRead(head, rows);
        }

        return new LedgerDayRead(null, []);
    }

    private static async Task<LedgerDayRead> ReadHeadFirstAsync(PipelineStorage storage, string day, CancellationToken cancellationToken)
    {
        var head = await storage.Ledger.GetEntityIfExistsAsync<LedgerHeadEntity>(day, LedgerHeadEntity.RowKeyValue, cancellationToken: cancellationToken);
        var rows = new List<LedgerClaimEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ne {LedgerHeadEntity.RowKeyValue}");
        await foreach (var row in storage.Ledger.QueryAsync<LedgerClaimEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return new LedgerDayRead(head.HasValue ? head.Value : null, rows);
    }

    /// <summary>The punches a claim row holds: packed entries, or (a row from before packing) the one in its RowKey.</summary>
    public static IEnumerable<(UInt128 Fingerprint, int BatchNo)> EntriesOf(LedgerClaimEntity row)
    {
        if (row.Entries is { } entries)
        {
            return LedgerEntries.Decode(entries);
        }

        // A row from before claims were packed: one punch, its fingerprint in the RowKey.
        return PunchFingerprint.TryParse(row.RowKey, out var single) ? [(single.Value, row.BatchNo)] : [];
    }
}
