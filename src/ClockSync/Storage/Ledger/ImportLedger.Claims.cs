using System.Net;
using Azure;
using Azure.Data.Tables;
using ClockSync.Punches;

namespace ClockSync.Storage.Ledger;

// A claim in three steps: the transaction prepared from the cached day, submitted under the day head's ETag, and
// applied to the cached day once it is written.
public sealed partial class ImportLedger
{
    private sealed record PendingClaim(List<TableTransactionAction> Actions, List<string> RowKeys, long Version);

    private PendingClaim PrepareClaim(LedgerDayView day, int firstBatch, List<(Punch Punch, int BatchNo)> mine)
    {
        var head = new LedgerHeadEntity { PartitionKey = day.Day, Version = day.Version + 1 };
        List<TableTransactionAction> actions =
        [
            day.HeadETag is { } etag ? new(TableTransactionActionType.UpdateReplace, head, etag) : new(TableTransactionActionType.Add, head),
        ];
        var rowKeys = new List<string>();
        foreach (var part in mine.Chunk(LedgerEntries.MaxPerRow))
        {
            var rowKey = LedgerClaimEntity.RowKeyFor(importId, firstBatch, rowKeys.Count);
            rowKeys.Add(rowKey);
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new LedgerClaimEntity
            {
                PartitionKey = day.Day,
                RowKey = rowKey,
                ImportId = importId,
                Entries = LedgerEntries.Encode(part.Select(claim => (claim.Punch.Fingerprint.Value, claim.BatchNo)).ToList()),
                Identity = Identity is { Version1: true } ? null : LedgerClaimEntity.CurrentIdentity,
                MinuteOnly = part.Any(claim => claim.Punch.MinuteOnly) ? true : null,
            }));
        }

        foreach (var stale in day.StaleRows.Where(stale => !rowKeys.Contains(stale, StringComparer.Ordinal)))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(day.Day, stale), ETag.All));
        }

        return new PendingClaim(actions, rowKeys, head.Version);
    }

    /// <returns>False when the day changed since it was read (the head's condition failed) or a row it meant to delete is gone.</returns>
    private async Task<(bool Written, ETag? HeadETag)> TrySubmitAsync(PendingClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            var responses = await storage.Ledger.SubmitTransactionAsync(claim.Actions, cancellationToken);
            return (true, responses.Value.Count > 0 ? responses.Value[0].Headers.ETag : null);
        }
        catch (TableTransactionFailedException exception) when (exception.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return (false, null);
        }
    }

    private async Task ApplyClaimAsync(LedgerDayView day, PendingClaim claim, ETag? headETag, CancellationToken cancellationToken)
    {
        _writtenByThisRun.UnionWith(claim.RowKeys);
        day.StaleRows.Clear();
        day.Version = claim.Version;
        day.HeadETag = headETag;
        if (day.HeadETag is null)
        {
            // No ETag in the answer: read the head so the next claim on this day is still conditional.
            var current = await storage.Ledger.GetEntityAsync<LedgerHeadEntity>(day.Day, LedgerHeadEntity.RowKeyValue, cancellationToken: cancellationToken);
            (day.HeadETag, day.Version) = (current.Value.ETag, current.Value.Version);
        }
    }
}
