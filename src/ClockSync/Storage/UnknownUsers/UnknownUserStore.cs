using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Storage.Batches;

namespace ClockSync.Storage.UnknownUsers;

/// <summary>
/// The <c>UnknownUsers</c> table, and the only code that touches it: the users Feishu refused (partition <c>user</c>),
/// the punches held for them (partition <c>held</c>), and the stamp of the id mapping last released against (partition
/// <c>mapping</c>). The set of refused ids is kept in the process-wide <see cref="UnknownUserRegistry"/> and read again
/// at most every <see cref="CacheFor"/>, so a batch checks it without a storage call; a refusal seen by this process
/// (recorded here, or convicted by the Feishu client mid-isolation) applies to its next batch at once.
/// </summary>
public sealed class UnknownUserStore(PipelineStorage storage, UnknownUserRegistry registry, TimeProvider time)
{
    internal const string UserPartition = "user";
    internal const string HeldPartition = "held";
    private const string MappingPartition = "mapping";
    private const string MappingRow = "stamp";

    /// <summary>A refusal recorded by another instance reaches this one within this long (a batch or two of extra calls).</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>Entity group transactions take at most 100 operations.</summary>
    private const int TransactionSize = 100;

    private readonly Lock _gate = new();
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    private TableClient Table => storage.UnknownUsers;

    /// <summary>The Feishu ids refused so far (this process's view, at most <see cref="CacheFor"/> old).</summary>
    public async Task<IReadOnlySet<string>> UnknownIdsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (time.GetUtcNow() - _readAt < CacheFor)
            {
                return registry.Refused;
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {UserPartition}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["FeishuId"], cancellationToken: cancellationToken))
        {
            if (row.GetString("FeishuId") is { Length: > 0 } id)
            {
                ids.Add(id);
            }
        }

        lock (_gate)
        {
            _readAt = time.GetUtcNow();
        }

        return registry.Refresh(ids);
    }

    /// <summary>Records that Feishu refused these users (first refusal kept, last one updated).</summary>
    public async Task RecordRefusalsAsync(IEnumerable<(string FeishuId, string ClockKey)> users, FeishuCallError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(error);
        var now = time.GetUtcNow();
        foreach (var user in users.GroupBy(user => user.FeishuId, StringComparer.Ordinal))
        {
            var key = Escape(user.Key);
            var found = await Table.GetEntityIfExistsAsync<UnknownUserEntity>(UserPartition, key, cancellationToken: cancellationToken);
            var row = found.HasValue && found.Value is { } existing ? existing : new UnknownUserEntity { RowKey = key, FeishuId = user.Key, FirstRefusedUtc = now };
            row.ClockKeys = string.Join(",", row.ClockKeys.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Concat(user.Select(pair => pair.ClockKey)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            row.LastRefusedUtc = now;
            row.Code = error.Code;
            row.HttpStatus = error.HttpStatus;
            row.Message = error.Message;
            row.LogId = error.LogId;
            await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        }

        registry.Convict(users.Select(user => user.FeishuId));
    }

    /// <summary>Forgets a refused id (its punches were accepted under it after all, or an operator retried it).</summary>
    public async Task ForgetAsync(string feishuId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feishuId);
        await Table.DeleteEntityAsync(UserPartition, Escape(feishuId), ETag.All, cancellationToken);
        registry.Forget(feishuId);
    }

    public async Task<IReadOnlyList<UnknownUserEntity>> ListUnknownAsync(CancellationToken cancellationToken)
    {
        var rows = new List<UnknownUserEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {UserPartition}");
        await foreach (var row in Table.QueryAsync<UnknownUserEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Holds records of a batch (upserts keyed by fingerprint: holding the same punch twice keeps one row).</summary>
    public async Task HoldAsync(string importId, int batchNo, IReadOnlyList<BatchRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = time.GetUtcNow();
        var rows = records.DistinctBy(record => record.IdempotentId, StringComparer.Ordinal).Select(record => new HeldPunchEntity
        {
            RowKey = Escape(record.IdempotentId),
            ClockKey = record.ClockKey,
            FeishuId = record.UserId,
            Record = JsonSerializer.Serialize(record, BatchJsonContext.Default.BatchRecord),
            ImportId = importId,
            BatchNo = batchNo,
            HeldUtc = now,
        });
        foreach (var chunk in rows.Chunk(TransactionSize))
        {
            await Table.SubmitTransactionAsync(
                chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken);
        }
    }

    /// <summary>Held punches, every one or those of one clock key.</summary>
    public async Task<IReadOnlyList<HeldPunchEntity>> ListHeldAsync(string? clockKey, CancellationToken cancellationToken)
    {
        var filter = clockKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {HeldPartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {HeldPartition} and ClockKey eq {clockKey}");
        var rows = new List<HeldPunchEntity>();
        await foreach (var row in Table.QueryAsync<HeldPunchEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The clock keys whose punches one import holds, each once, in order (for the import's card).</summary>
    public async Task<IReadOnlyList<string>> HeldClockKeysAsync(string importId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {HeldPartition} and ImportId eq {importId}");
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<HeldPunchEntity>(filter, select: [nameof(HeldPunchEntity.ClockKey)], cancellationToken: cancellationToken))
        {
            keys.Add(row.ClockKey);
        }

        return [.. keys];
    }

    /// <summary>The record a held punch keeps.</summary>
    public static BatchRecord RecordOf(HeldPunchEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return JsonSerializer.Deserialize(row.Record, BatchJsonContext.Default.BatchRecord)
            ?? throw new FormatException($"Held punch {row.RowKey} has no record.");
    }

    /// <summary>Updates the id a held punch was last refused under (it stays held).</summary>
    public async Task RefuseAgainAsync(IEnumerable<HeldPunchEntity> rows, string feishuId, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(TransactionSize))
        {
            foreach (var row in chunk)
            {
                row.FeishuId = feishuId;
            }

            await Table.SubmitTransactionAsync(
                chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), cancellationToken);
        }
    }

    /// <summary>Drops held punches that have been posted (or handed to FailedBatches).</summary>
    public async Task ReleaseAsync(IEnumerable<HeldPunchEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var chunk in rows.Chunk(TransactionSize))
        {
            try
            {
                await Table.SubmitTransactionAsync(
                    chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException exception) when (exception.Status == 404)
            {
                // One was released by a concurrent run already: delete the others one by one.
                foreach (var row in chunk)
                {
                    await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                }
            }
        }
    }

    /// <summary>The stamp (ETag or content hash) of the id mapping the held punches were last released against.</summary>
    public async Task<string?> GetMappingStampAsync(CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(MappingPartition, MappingRow, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value?.GetString("Stamp") : null;
    }

    public Task SetMappingStampAsync(string stamp, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(MappingPartition, MappingRow) { ["Stamp"] = stamp }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Table keys may not hold '/', '\', '#', '?', control characters; '%' is escaped too so that the escaping is reversible.</summary>
    internal static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                text.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
