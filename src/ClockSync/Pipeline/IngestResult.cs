namespace ClockSync.Pipeline;

/// <summary>What one ingest run did, for the trigger's log line.</summary>
public sealed record IngestResult(string ImportId, int BatchesEnqueued, bool AlreadyIngested, bool NotAnExport);
