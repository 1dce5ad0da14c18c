namespace ClockSync.Pipeline.Ingest;

/// <summary>
/// A run's first step: make this import the blob's current one, adopting the earlier version's import if it is
/// unfinished. Ownership follows the queue: the earlier import keeps the batches up to its enqueued checkpoint, and its
/// claims on later ones are released, so this run claims and sends those punches itself (a batch that had in fact been
/// sent is then posted twice, and Feishu keeps one: same <c>idempotent_id</c>).
/// </summary>
internal static class VersionAdoption
{
    /// <returns>False when this version is itself no longer current (a newer one arrived before this run began).</returns>
    public static async Task<bool> AdoptAsync(IngestServices services, PinnedExport export, string importId, CancellationToken cancellationToken)
    {
        var adoption = await services.Imports.AdoptPreviousAsync(export.Path, importId, export.IsCurrentAsync, cancellationToken);
        if (adoption is { Previous: { } previous, ReleasedAfter: { } releasedAfter })
        {
            IngestLog.Adopted(services.Logger, importId, export.Name, previous, releasedAfter);
        }

        return adoption is not null;
    }
}
