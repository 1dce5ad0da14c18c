namespace ClockSync.Storage.ImportRows;

/// <summary>Where an import stands. Only <see cref="Ingesting"/> is resumed by a redelivered blob; the others are final.</summary>
public static class ImportState
{
    public const string Ingesting = "Ingesting";
    public const string Enqueued = "Enqueued";
    public const string NotAnExport = "NotAnExport";
    public const string Unreadable = "Unreadable";

    /// <summary>
    /// A newer version of the blob replaced this one before its ingest finished: the run ended (or was adopted by the
    /// newer version's run), and its batches past the released checkpoint belong to nobody (<see cref="ImportStore.ReleasedAsync"/>).
    /// </summary>
    public const string Superseded = "Superseded";

    public static bool IsFinal(string? state) => state is Enqueued or NotAnExport or Unreadable or Superseded;
}
