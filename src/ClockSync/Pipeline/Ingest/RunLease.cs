using ClockSync.Storage.ImportRows;

namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// The <c>Imports</c> row of the import a run holds, and the lease on it. Every write of the row goes through here:
/// it renews the lease, and the store refuses it (<see cref="ImportRunEndedException"/>) once another run holds the
/// import. Renewal is due when a quarter of the lease has passed.
/// </summary>
internal sealed class RunLease(IngestServices services, string runId, ImportEntity row)
{
    private DateTimeOffset _renewAt = services.Time.GetUtcNow() + IngestClockExportHandler.LeaseDuration / 4;

    public ImportEntity Row { get; private set; } = row;

    public string RunId => runId;

    public bool RenewDue => services.Time.GetUtcNow() >= _renewAt;

    public async Task UpdateAsync(Action<ImportEntity> change, CancellationToken cancellationToken)
    {
        Row = await services.Imports.UpdateRunAsync(Row, runId, IngestClockExportHandler.LeaseDuration, change, cancellationToken);
        _renewAt = services.Time.GetUtcNow() + IngestClockExportHandler.LeaseDuration / 4;
    }
}
