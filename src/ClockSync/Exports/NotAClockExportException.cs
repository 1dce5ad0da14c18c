namespace ClockSync.Exports;

/// <summary>The file is not a clock export that ClockSync can read at all (as opposed to one with bad lines).</summary>
public sealed class NotAClockExportException : Exception
{
    public NotAClockExportException(string fileName, string reason)
        : base($"{fileName}: not a clock export ClockSync can read: {reason}")
    {
        FileName = fileName;
        Reason = reason;
    }

    public NotAClockExportException()
    {
        FileName = string.Empty;
        Reason = string.Empty;
    }

    public NotAClockExportException(string message)
        : base(message)
    {
        FileName = string.Empty;
        Reason = message;
    }

    public NotAClockExportException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
        Reason = message;
    }

    public string FileName { get; }

    public string Reason { get; }
}
