using System.Net;
using Azure;
using Azure.Data.Tables;
using ClockSync.Punches;

namespace ClockSync.Storage.Ledger;

/// <summary>
/// Reads and writes the ledger for one ingest: each day partition is loaded when first needed and kept while the file
/// streams, up to <see cref="StorageOptions.LedgerDaysCached"/> days (least recently used dropped first: exports are
/// roughly in time order, so a dropped day is rarely needed again, and if it is it is re-read — the table holds every
/// entry this run wrote). New entries are added in transactions of up to 100 per partition. Not thread-safe: one
/// instance per ingest run.
/// </summary>
public sealed class ImportLedger(PipelineStorage storage)
{
    private const int MaxTransactionSize = 100;
    private readonly Dictionary<string, LinkedListNode<(string Day, Dictionary<UInt128, string> Owners)>> _days = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Day, Dictionary<UInt128, string> Owners)> _recent = new();

    /// <summary>Day partitions read from the table so far (a dropped day read again counts again).</summary>
    public int DayReads { get; private set; }

    /// <summary>The import owning <paramref name="punch"/>, or null when the ledger does not know it.</summary>
    public async ValueTask<string?> OwnerOfAsync(Punch punch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(punch);
        var day = await DayAsync(LedgerEntity.DayOf(punch.CheckTime), cancellationToken).ConfigureAwait(false);
        return day.TryGetValue(punch.Fingerprint.Value, out var owner) ? owner : null;
    }

    /// <summary>
    /// Adds entries owned by <paramref name="importId"/> for <paramref name="punches"/> (none of which it knew).
    /// Returns the punches that another import claimed in the meantime (a concurrent ingest of another file), which
    /// the caller must drop as already imported.
    /// </summary>
    public async Task<IReadOnlyList<Punch>> ClaimAsync(string importId, int batchNo, IReadOnlyList<Punch> punches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(punches);
        var lost = new List<Punch>();
        foreach (var group in punches.GroupBy(punch => LedgerEntity.DayOf(punch.CheckTime), StringComparer.Ordinal))
        {
            var day = await DayAsync(group.Key, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in group.Chunk(MaxTransactionSize))
            {
                var entities = chunk.Select(punch => new LedgerEntity
                {
                    PartitionKey = group.Key,
                    RowKey = punch.Fingerprint.ToString(),
                    ImportId = importId,
                    BatchNo = batchNo,
                }).ToList();
                try
                {
                    await storage.Ledger.SubmitTransactionAsync(
                        entities.Select(entity => new TableTransactionAction(TableTransactionActionType.Add, entity)),
                        cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
                {
                    // Someone wrote one of these meanwhile: settle them one by one.
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        if (!await AddOneAsync(entities[i], importId, cancellationToken).ConfigureAwait(false))
                        {
                            lost.Add(chunk[i]);
                        }
                    }
                }

                foreach (var punch in chunk)
                {
                    day.TryAdd(punch.Fingerprint.Value, importId);
                }
            }
        }

        return lost;
    }

    private async Task<bool> AddOneAsync(LedgerEntity entity, string importId, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Ledger.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            var existing = await storage.Ledger.GetEntityAsync<LedgerEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return string.Equals(existing.Value.ImportId, importId, StringComparison.Ordinal);
        }
    }

    private async ValueTask<Dictionary<UInt128, string>> DayAsync(string day, CancellationToken cancellationToken)
    {
        if (_days.TryGetValue(day, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Owners;
        }

        Dictionary<UInt128, string> known = [];
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day}");
        await foreach (var entity in storage.Ledger.QueryAsync<LedgerEntity>(filter, select: ["RowKey", "ImportId"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (PunchFingerprint.TryParse(entity.RowKey, out var fingerprint))
            {
                known[fingerprint.Value] = entity.ImportId;
            }
        }

        DayReads++;
        _days[day] = _recent.AddFirst((day, known));
        while (_recent.Count > Math.Max(1, storage.Options.LedgerDaysCached))
        {
            _days.Remove(_recent.Last!.Value.Day);
            _recent.RemoveLast();
        }

        return known;
    }
}
