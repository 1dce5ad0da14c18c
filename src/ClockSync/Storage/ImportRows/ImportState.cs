namespace ClockSync.Storage.ImportRows;

/// <summary>Where an import stands. Only <see cref="Ingesting"/> is resumed by a redelivered blob; the others are final.</summary>
public static class ImportState
{
    public const string Ingesting = "Ingesting";
    public const string Enqueued = "Enqueued";
    public const string NotAnExport = "NotAnExport";
    public const string Unreadable = "Unreadable";

    public static bool IsFinal(string? state) => state is Enqueued or NotAnExport or Unreadable;
}
