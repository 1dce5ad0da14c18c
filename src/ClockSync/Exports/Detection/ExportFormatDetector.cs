using ClockSync.Exports.Delimited;
using ClockSync.Exports.TextReport;
using ClockSync.Exports.ZkTeco;

namespace ClockSync.Exports.Detection;

/// <summary>
/// Tells a text export's format from its first lines. Order: a clock text report header, then ZKTeco attlog records,
/// then a delimited header (by <see cref="DelimitedTextReader.CanRead"/>). ZKTeco PUSH is never detected: its lines
/// are indistinguishable from attlog lines with a different meaning.
/// </summary>
internal static class ExportFormatDetector
{
    /// <summary>Lines looked at. Enough for the title rows that report exports put above their header.</summary>
    public const int LinesExamined = 50;

    public static ExportFormat? DetectText(IReadOnlyList<string> firstLines, ExportReadOptions options)
    {
        foreach (var line in firstLines)
        {
            if (ClockTextReportHeader.TryParse(line, out _))
            {
                return ExportFormat.ClockTextReport;
            }
        }

        if (LooksLikeAttLog(firstLines, options.DateOrder))
        {
            return ExportFormat.ZkTecoAttLog;
        }

        return DelimitedTextReader.CanRead(firstLines, options) ? ExportFormat.Delimited : null;
    }

    /// <summary>
    /// An attlog starts with a record (after an optional serial-number word), and at least half of the lines looked at
    /// that are neither blank nor a single word are records. Requiring the first content line to be a record keeps
    /// tab-separated files with a header row (<c>USERID→CHECKTIME→CHECKTYPE</c>, whose third column is not a device)
    /// for the delimited reader, which knows what their columns mean.
    /// </summary>
    private static bool LooksLikeAttLog(IReadOnlyList<string> lines, DateOrder dateOrder)
    {
        int candidates = 0, records = 0;
        var seenContent = false;
        foreach (var line in lines)
        {
            var shape = ZkTecoLineParser.Classify(line);
            if (shape == ZkTecoLineShape.Blank || shape == ZkTecoLineShape.SingleToken)
            {
                seenContent |= shape == ZkTecoLineShape.SingleToken;
                continue;
            }

            var isRecord = ZkTecoLineParser.LooksLikeRecord(line, dateOrder);
            if (candidates == 0 && !isRecord)
            {
                return false;
            }

            seenContent = true;
            candidates++;
            records += isRecord ? 1 : 0;
        }

        return seenContent && records > 0 && records * 2 >= candidates;
    }
}
