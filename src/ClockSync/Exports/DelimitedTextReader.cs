namespace ClockSync.Exports;

/// <summary>Comma, tab or semicolon separated exports with a header row found by column aliases.</summary>
public sealed class DelimitedTextReader : ITextExportReader
{
    public ExportFormat Format => ExportFormat.Delimited;

    /// <summary>Whether a header row that names at least a user key and a time is among these first lines.</summary>
    public static bool CanRead(IReadOnlyList<string> firstLines, ExportReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(firstLines);
        ArgumentNullException.ThrowIfNull(options);
        return false;
    }

    public IEnumerable<RawRecord> Read(TextReader text, ExportReadOptions options, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
