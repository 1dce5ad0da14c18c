using ClockSync.Exports.Delimited;
using ClockSync.Exports.Detection;
using ClockSync.Exports.Excel;
using ClockSync.Exports.Text;
using ClockSync.Exports.TextReport;
using ClockSync.Exports.ZkTeco;

namespace ClockSync.Exports;

/// <summary>
/// Opens an export: detects (or takes the forced) format and the text encoding, and hands back the records of the
/// matching reader. The stream is read once, front to back; it may be non-seekable (a blob download stream).
/// </summary>
/// <remarks>
/// Detection reads a prefix of at most <see cref="ExportTextDecoder.PrefixLength"/> bytes, which the reader then sees
/// again from its first byte, so line numbers start at 1 and no line is lost. The caller keeps ownership of the
/// stream: disposing the <see cref="OpenedExport"/> releases what it created, not the stream.
/// </remarks>
public static class ExportFileReader
{
    /// <summary>Encoding reported for workbooks, whose text encoding is the workbook's own business.</summary>
    public const string BinaryEncoding = "binary";

    /// <exception cref="NotAClockExportException">The content is not any export ClockSync reads.</exception>
    public static OpenedExport Open(Stream content, string fileName, ExportReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(options);

        var origin = content.CanSeek ? content.Position : -1;
        var prefix = new byte[ExportTextDecoder.PrefixLength];
        var length = ReadPrefix(content, prefix, cancellationToken);
        var isWholeContent = length < prefix.Length || IsAtEnd(content);
        if (length == 0)
        {
            throw new NotAClockExportException(fileName, "the file is empty (0 bytes)");
        }

        var forced = options.Format;
        if (forced == ExportFormat.Excel || (forced is null && ExcelExportReader.LooksLikeWorkbook(prefix.AsSpan(0, length))))
        {
            return OpenWorkbook(content, origin, prefix, length, fileName, options, cancellationToken);
        }

        var encoding = ExportTextDecoder.Detect(prefix.AsSpan(0, length), isWholeContent);
        var format = forced ?? DetectText(prefix.AsSpan(0, length), isWholeContent, encoding, fileName, options);
        if (format == ExportFormat.Delimited && ExportTextDecoder.IsUtf8(encoding))
        {
            // Most CSV exports are UTF-8: scanning their bytes spares decoding the whole file (see DelimitedScanner<T>).
            var bytes = ExportTextDecoder.OpenBytes(prefix, length, content, encoding);
            var rows = Deferred(() => new DelimitedTextReader().ReadUtf8(bytes, options, cancellationToken));
            return new OpenedExport(fileName, format, encoding.Name, rows, bytes);
        }

        var text = ExportTextDecoder.OpenText(prefix, length, content, encoding);
        IEnumerable<RawRecord> records = format switch
        {
            ExportFormat.ZkTecoAttLog => new ZkTecoAttLogReader().Read(text, options, cancellationToken),
            ExportFormat.ZkTecoPush => new ZkTecoPushReader().Read(text, options, cancellationToken),
            ExportFormat.ClockTextReport => new ClockTextReportReader().Read(text, options, cancellationToken),
            ExportFormat.Delimited => Deferred(() => new DelimitedTextReader().Read(text, options, cancellationToken)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), format, "Unknown export format."),
        };

        return new OpenedExport(fileName, format, encoding.Name, records, text);
    }

    private static ExportFormat DetectText(
        ReadOnlySpan<byte> prefix, bool isWholeContent, DetectedEncoding encoding, string fileName, ExportReadOptions options)
    {
        var firstLines = ExportTextDecoder.FirstLines(prefix, isWholeContent, encoding, ExportFormatDetector.LinesExamined);
        if (ExportFormatDetector.DetectText(firstLines, options) is { } format)
        {
            return format;
        }

        throw new NotAClockExportException(fileName, NotAnExportReason.Describe(prefix, isWholeContent, encoding, firstLines, fileName));
    }

    private static OpenedExport OpenWorkbook(
        Stream content, long origin, byte[] prefix, int length, string fileName, ExportReadOptions options, CancellationToken cancellationToken)
    {
        // Workbook libraries need to seek (a zip directory sits at the end); hand them the stream itself when it can,
        // else the replayed stream and let the Excel reader buffer it.
        Stream workbook;
        if (origin >= 0)
        {
            content.Position = origin;
            workbook = content;
        }
        else
        {
            workbook = new PrefixReplayStream(prefix, 0, length, content);
        }

        var records = Deferred(() => new ExcelExportReader().Read(workbook, options, cancellationToken));
        return new OpenedExport(fileName, ExportFormat.Excel, BinaryEncoding, records, owned: null);
    }

    private static int ReadPrefix(Stream content, byte[] prefix, CancellationToken cancellationToken)
    {
        var length = 0;
        while (length < prefix.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = content.Read(prefix, length, prefix.Length - length);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }

    private static bool IsAtEnd(Stream content)
    {
        try
        {
            return content.CanSeek && content.Position >= content.Length;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Readers written elsewhere may do work when called; open them only when the records are read.</summary>
    private static DeferredRecords Deferred(Func<IEnumerable<RawRecord>> open) => new(open);

    /// <summary>
    /// Calls the reader when enumeration starts and hands out its own enumerator, rather than re-yielding every record
    /// through one more iterator (a copy of each record and an interface call per line, on the hot path).
    /// </summary>
    private sealed class DeferredRecords(Func<IEnumerable<RawRecord>> open) : IEnumerable<RawRecord>
    {
        public IEnumerator<RawRecord> GetEnumerator() => open().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
