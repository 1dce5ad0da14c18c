using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Cli.Demo;

/// <summary>What the Imports and FailedBatches tables say at one moment: the demo's progress and its end condition.</summary>
internal sealed record ImportProgress(IReadOnlyList<ImportTotals> Imports, int PendingRetries, int ParkedRows)
{
    public static async Task<ImportProgress> ReadAsync(ImportStore imports, FailedBatchStore failures, CancellationToken cancellationToken)
    {
        var rows = await imports.ListTotalsAsync(cancellationToken);
        var counts = await failures.CountByImportAsync(cancellationToken);
        var parked = counts.Where(count => count.Key.State == FailedBatchEntity.Parked).Sum(count => count.Value);
        return new ImportProgress(rows, counts.Values.Sum() - parked, parked);
    }

    public long NewPunches => Imports.Sum(row => row.Import.NewPunches);

    public long PunchesPosted => Imports.Sum(row => row.Posting.PunchesPosted);

    public long PunchesParked => Imports.Sum(row => row.Posting.PunchesParked);

    /// <summary>Punches held for users Feishu does not know (posted once the id mapping names them).</summary>
    public long PunchesHeld => Imports.Sum(row => row.Posting.PunchesHeld);

    /// <summary>
    /// Every file has an import row in a final state, every punch it queued is posted or parked, and no batch waits
    /// for a retry.
    /// </summary>
    public bool IsSettled(int files) =>
        Imports.Count >= files
        && Imports.All(row => ImportState.IsFinal(row.Import.State))
        && PunchesPosted + PunchesParked + PunchesHeld == NewPunches
        && PendingRetries == 0;

    public string Describe(int files) =>
        $"  {Imports.Count(row => ImportState.IsFinal(row.Import.State))}/{files} files read, {PunchesPosted}/{NewPunches} punches posted, "
        + $"{PunchesParked} parked, {PunchesHeld} held (unknown users), {PendingRetries} batch(es) waiting to retry";
}
