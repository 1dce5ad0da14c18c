using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Cli.Demo;

/// <summary>What the Imports and FailedBatches tables say at one moment: the demo's progress and its end condition.</summary>
internal sealed record ImportProgress(IReadOnlyList<ImportTotals> Imports, int PendingRetries, int ParkedRows)
{
    public static async Task<ImportProgress> ReadAsync(ImportStore imports, PipelineStorage storage, CancellationToken cancellationToken)
    {
        var rows = await imports.ListTotalsAsync(cancellationToken);
        var pending = 0;
        var parked = 0;
        await foreach (var row in storage.FailedBatches.QueryAsync<FailedBatchEntity>(cancellationToken: cancellationToken))
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

    public long NewPunches => Imports.Sum(row => row.Import.NewPunches);

    public long PunchesPosted => Imports.Sum(row => row.Posting.PunchesPosted);

    public long PunchesParked => Imports.Sum(row => row.Posting.PunchesParked);

    /// <summary>
    /// Every file has an import row in a final state, every punch it queued is posted or parked, and no batch waits
    /// for a retry.
    /// </summary>
    public bool IsSettled(int files) =>
        Imports.Count >= files
        && Imports.All(row => ImportState.IsFinal(row.Import.State))
        && PunchesPosted + PunchesParked == NewPunches
        && PendingRetries == 0;

    public string Describe(int files) =>
        $"  {Imports.Count(row => ImportState.IsFinal(row.Import.State))}/{files} files read, {PunchesPosted}/{NewPunches} punches posted, "
        + $"{PunchesParked} parked, {PendingRetries} batch(es) waiting to retry";
}
