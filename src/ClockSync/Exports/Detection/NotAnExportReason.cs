using ClockSync.Exports.Tabular;
using ClockSync.Exports.Text;

namespace ClockSync.Exports.Detection;

/// <summary>Says, in words an operator can act on, why content that detection gave up on is not an export.</summary>
internal static class NotAnExportReason
{
    public static string Describe(
        ReadOnlySpan<byte> prefix, bool isWholeContent, DetectedEncoding encoding, IReadOnlyList<string> firstLines, string fileName)
    {
        var workbookName = Path.GetExtension(fileName) is var extension
            && (extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".xls", StringComparison.OrdinalIgnoreCase))
            ? $"the name ends in {extension} but the content is not an Excel workbook; "
            : string.Empty;

        if (encoding.BomLength == 0 && !encoding.Name.StartsWith("UTF-16", StringComparison.Ordinal) && LooksBinary(prefix))
        {
            return workbookName + "the content is binary, not text, and not an Excel workbook";
        }

        if (firstLines.Count == 0)
        {
            return workbookName + (isWholeContent
                ? "the file holds no text lines"
                : $"the first {ExportTextDecoder.PrefixLength / 1024} KiB hold no line break");
        }

        if (firstLines.All(line => BlankText.IsBlank(line)))
        {
            return workbookName + $"the first {firstLines.Count} lines are blank";
        }

        var header = HeaderDiagnosis.Describe(
            firstLines.Select((line, index) => ((long)index + 1, HeaderDiagnosis.SplitAnyDelimiter(line))), "line");
        return workbookName
            + $"no header with a user key and a time column was found in the first {firstLines.Count} lines "
            + "(decoded as " + encoding.Name + ")" + (header is null ? string.Empty : $" ({header})")
            + ", and the lines are not ZKTeco attlog records (tab-separated PIN and date-time) "
            + "nor a clock text report (No, Mchn, EnNo, Name, Mode, IOMd, DateTime); "
            + "name the columns in the configuration, or if it is a ZKTeco PUSH log or another known format, force the format";
    }

    /// <summary>Text exports have almost no control bytes besides tab, CR and LF; NUL padding at the end aside.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> prefix)
    {
        var content = prefix.TrimEnd((byte)0);
        var control = 0;
        foreach (var b in content)
        {
            if ((b < 0x20 && b is not (byte)'\t' and not (byte)'\r' and not (byte)'\n') || b == 0x7F)
            {
                control++;
            }
        }

        return control * 20 > content.Length;
    }
}
