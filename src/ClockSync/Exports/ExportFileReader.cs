namespace ClockSync.Exports;

/// <summary>
/// Opens an export: detects (or takes the forced) format and the text encoding, and hands back the records of the
/// matching reader. The stream is read once, front to back.
/// </summary>
public static class ExportFileReader
{
    /// <exception cref="NotAClockExportException">The content is not any export ClockSync reads.</exception>
    public static OpenedExport Open(Stream content, string fileName, ExportReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("Format detection arrives with the export readers.");
    }
}
