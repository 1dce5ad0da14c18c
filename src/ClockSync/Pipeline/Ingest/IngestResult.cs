namespace ClockSync.Pipeline.Ingest;

/// <summary>What one ingest run did, for the trigger's log line.</summary>
/// <param name="Superseded">
/// The run ended early and cleanly because its blob version was replaced or deleted, or another run took the import
/// over: the run of the newer version (or the other run) picks up everything this one did not send.
/// </param>
public sealed record IngestResult(string ImportId, int BatchesEnqueued, bool AlreadyIngested, bool NotAnExport, bool Superseded = false);
