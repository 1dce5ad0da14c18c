namespace ClockSync.Exports;

/// <summary>A reader of one text export format. It reads line by line and never holds the whole file.</summary>
public interface ITextExportReader
{
    ExportFormat Format { get; }

    /// <summary>Yields one record per physical line, in order. Never throws for bad content: it rejects the line.</summary>
    IEnumerable<RawRecord> Read(TextReader text, ExportReadOptions options, CancellationToken cancellationToken);
}
