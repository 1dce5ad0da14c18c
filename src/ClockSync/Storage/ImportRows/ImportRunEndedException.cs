namespace ClockSync.Storage.ImportRows;

/// <summary>
/// The run no longer holds its import: another run took it over after its lease lapsed, or a newer version of the
/// blob adopted it. The run stops without sending more; whoever holds the import now finishes it.
/// </summary>
public sealed class ImportRunEndedException : Exception
{
    public ImportRunEndedException()
    {
    }

    public ImportRunEndedException(string message)
        : base(message)
    {
    }

    public ImportRunEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImportRunEndedException(string importId, string state)
        : base($"Import {importId} is no longer this run's (state {state}): another run holds it or a newer version of the blob adopted it.")
    {
        ImportId = importId;
    }

    public string? ImportId { get; }
}

/// <summary>An import of an earlier blob version that a run took over (<see cref="ImportStore.AdoptPreviousAsync"/>).</summary>
/// <param name="Previous">The import that was current before, if any.</param>
/// <param name="ReleasedAfter">Its enqueued checkpoint when it was unfinished (its later batches were released); null when it had finished.</param>
public sealed record Adoption(string? Previous, int? ReleasedAfter);
