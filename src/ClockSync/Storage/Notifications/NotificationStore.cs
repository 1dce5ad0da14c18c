using System.Net;
using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Notifications;

/// <summary>
/// The <c>Notifications</c> table: one marker per card that must go out once (an import's card), at most every so
/// often (the credentials card, the parked digest), or once per change of state (posting stopped / resumed). Every
/// claim is an insert-if-absent or an ETag-guarded update, so of several instances claiming at once exactly one wins.
/// </summary>
public sealed class NotificationStore(PipelineStorage storage)
{
    private TableClient Table => storage.Notifications;

    /// <summary>Whether the marker exists (claimed before, sent or not).</summary>
    public async Task<bool> ExistsAsync(string kind, string key, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<NotificationEntity>(kind, key, select: ["ClaimedUtc"], cancellationToken);
        return row.HasValue;
    }

    /// <summary>Claims a once-only marker: true for the one caller that inserted it.</summary>
    public async Task<bool> TryClaimOnceAsync(string kind, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(new NotificationEntity { PartitionKey = kind, RowKey = key, ClaimedUtc = now }, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>
    /// Claims an at-most-every marker: succeeds when it was never claimed or its last claim is at least
    /// <paramref name="interval"/> old. <c>Previous</c> is the last claim's time (null the first time).
    /// </summary>
    public async Task<(bool Claimed, DateTimeOffset? Previous)> TryClaimIntervalAsync(
        string kind, string key, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken)
    {
        var existing = await Table.GetEntityIfExistsAsync<NotificationEntity>(kind, key, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return (await TryClaimOnceAsync(kind, key, now, cancellationToken), null);
        }

        var row = existing.Value!;
        if (now - row.ClaimedUtc < interval)
        {
            return (false, row.ClaimedUtc);
        }

        var previous = row.ClaimedUtc;
        row.ClaimedUtc = now;
        row.MessageId = null;
        row.LastError = null;
        return (await TryReplaceAsync(row, cancellationToken), previous);
    }

    /// <summary>
    /// Moves a state marker to <paramref name="state"/>: true for the one caller that changed it. A marker that does not
    /// exist is in <paramref name="initialState"/>, so announcing the state things start in does nothing.
    /// </summary>
    public async Task<bool> TrySwitchStateAsync(
        string kind, string key, string initialState, string state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await Table.GetEntityIfExistsAsync<NotificationEntity>(kind, key, cancellationToken: cancellationToken);
        var current = existing.HasValue ? existing.Value!.State ?? initialState : initialState;
        if (string.Equals(current, state, StringComparison.Ordinal))
        {
            return false;
        }

        if (!existing.HasValue)
        {
            try
            {
                await Table.AddEntityAsync(new NotificationEntity { PartitionKey = kind, RowKey = key, State = state, ClaimedUtc = now }, cancellationToken);
                return true;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.Conflict)
            {
                return false;
            }
        }

        var row = existing.Value!;
        row.State = state;
        row.ClaimedUtc = now;
        row.MessageId = null;
        row.LastError = null;
        return await TryReplaceAsync(row, cancellationToken);
    }

    /// <summary>Notes what became of the card sent under a claim (best effort: the claim already stands).</summary>
    public Task RecordOutcomeAsync(string kind, string key, string? messageId, string? error, CancellationToken cancellationToken) =>
        Table.UpdateEntityAsync(
            new TableEntity(kind, key) { ["MessageId"] = messageId, ["LastError"] = error }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    private async Task<bool> TryReplaceAsync(NotificationEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
