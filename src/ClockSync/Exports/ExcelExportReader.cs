namespace ClockSync.Exports;

/// <summary>Excel workbooks (<c>.xlsx</c> and legacy <c>.xls</c>) with the same header logic as delimited text.</summary>
public sealed class ExcelExportReader
{
    /// <summary>Whether the first bytes are an OOXML (zip) or BIFF (OLE2 compound file) signature.</summary>
    public static bool LooksLikeWorkbook(ReadOnlySpan<byte> firstBytes) => false;

    public IEnumerable<RawRecord> Read(Stream content, ExportReadOptions options, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
