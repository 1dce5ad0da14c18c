using Azure.Data.Tables;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Cli.Demo;

/// <summary>What the Imports and FailedBatches tables say at one moment: the demo's progress and its end condition.</summary>
internal sealed record ImportProgress(IReadOnlyList<ImportEntity> Imports, int PendingRetries, int ParkedRows)
{
    public static async Task<ImportProgress> ReadAsync(TableClient imports, TableClient failures, CancellationToken cancellationToken)
    {
        var rows = new List<ImportEntity>();
        await foreach (var row in imports.QueryAsync<ImportEntity>(
                           entity => entity.RowKey == ImportEntity.RowKeyValue, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        var pending = 0;
        var parked = 0;
        await foreach (var row in failures.QueryAsync<FailedBatchEntity>(cancellationToken: cancellationToken))
        {
            if (row.State == FailedBatchEntity.Parked)
            {
                parked++;
            }
            else
            {
                pending++;
            }
        }

        return new ImportProgress(rows, pending, parked);
    }

    public long NewPunches => Imports.Sum(row => row.NewPunches);

    public long PunchesPosted => Imports.Sum(row => row.PunchesPosted);

    public long PunchesParked => Imports.Sum(row => row.PunchesParked);

    /// <summary>
    /// Every file has an import row in a final state, every punch it queued is posted or parked, and no batch waits
    /// for a retry.
    /// </summary>
    public bool IsSettled(int files) =>
        Imports.Count >= files
        && Imports.All(row => ImportState.IsFinal(row.State))
        && PunchesPosted + PunchesParked == NewPunches
        && PendingRetries == 0;

    public string Describe(int files) =>
        $"  {Imports.Count(row => ImportState.IsFinal(row.State))}/{files} files read, {PunchesPosted}/{NewPunches} punches posted, "
        + $"{PunchesParked} parked, {PendingRetries} batch(es) waiting to retry";
}
