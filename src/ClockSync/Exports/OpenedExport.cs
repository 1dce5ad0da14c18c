namespace ClockSync.Exports;

/// <summary>An export whose format and encoding are known, ready to be read once.</summary>
public sealed class OpenedExport : IDisposable
{
    private readonly IDisposable? _owned;

    public OpenedExport(string fileName, ExportFormat format, string encoding, IEnumerable<RawRecord> records, IDisposable? owned)
    {
        FileName = fileName;
        Format = format;
        Encoding = encoding;
        Records = records;
        _owned = owned;
    }

    public string FileName { get; }

    public ExportFormat Format { get; }

    /// <summary>
    /// How the text was decoded: <c>UTF-8</c>, <c>UTF-8 (BOM)</c>, <c>UTF-16LE (BOM)</c>, <c>UTF-16BE (BOM)</c>,
    /// <c>UTF-16LE</c>, <c>UTF-16BE</c>, <c>GB18030</c> (see <see cref="DetectedEncoding"/>), or <c>binary</c> for
    /// workbooks (<see cref="ExportFileReader.BinaryEncoding"/>).
    /// </summary>
    public string Encoding { get; }

    /// <summary>One record per line or row, in file order. Enumerate once.</summary>
    public IEnumerable<RawRecord> Records { get; }

    /// <summary>Releases what opening created (decoder, buffers); never the caller's stream.</summary>
    public void Dispose() => _owned?.Dispose();
}
