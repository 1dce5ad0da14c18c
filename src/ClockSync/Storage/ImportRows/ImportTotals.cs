namespace ClockSync.Storage.ImportRows;

/// <summary>
/// One import as the Imports table tells it: the import's own row (what ingest found and enqueued), the sum of the
/// counter changes its batch markers and adjustments carry, and how many batches have a marker (were posted once).
/// </summary>
public sealed record ImportTotals(ImportEntity Import, PostingCounts Posting, int BatchesRecorded);
