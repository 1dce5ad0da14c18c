using ClockSync.Exports.Text;

namespace ClockSync.Exports.ZkTeco;

/// <summary>
/// The line loop shared by the ZKTeco readers: one record per physical line, in order, with the serial-number and
/// checksum lines that some firmwares add recognised by position.
/// </summary>
/// <remarks>
/// A single word on the first non-blank line is the device serial number, and on the last non-blank line a checksum:
/// both are skipped. A single word anywhere else is a stray line and is rejected. Whether a word is the last non-blank
/// line is only known when the next non-blank line (or the end) arrives, so its record is held back until then,
/// together with a count of the blank lines after it; memory stays constant and records stay in file order.
/// </remarks>
internal static class ZkTecoLogLines
{
    private const string StrayWord =
        "is not an attlog record: a single word where PIN, date-time, … were expected (only the first and last line may be a serial number or checksum)";

    private const string OverLong = "is longer than the longest line an export can have; skipped to its end";

    public static IEnumerable<RawRecord> Read(TextReader text, ZkTecoLineParser parser, CancellationToken cancellationToken)
    {
        using var lines = new BoundedLineReader(text);
        var seenContent = false;
        long heldWordLine = 0;
        long blanksAfterHeldWord = 0;

        LineReadResult result;
        while ((result = lines.Read()) != LineReadResult.End)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lineNumber = lines.LineNumber;
            var shape = result == LineReadResult.OverLong
                ? (lines.OverLongLineWasBlank ? ZkTecoLineShape.Blank : ZkTecoLineShape.Record)
                : ZkTecoLineParser.Classify(lines.Current);

            if (shape == ZkTecoLineShape.Blank)
            {
                if (heldWordLine != 0)
                {
                    blanksAfterHeldWord++;
                }
                else
                {
                    yield return RawRecord.Skipped(lineNumber);
                }

                continue;
            }

            if (heldWordLine != 0)
            {
                // The held word was not the last line after all.
                yield return RawRecord.Rejected(heldWordLine, "line", StrayWord);
                for (var blank = 1; blank <= blanksAfterHeldWord; blank++)
                {
                    yield return RawRecord.Skipped(heldWordLine + blank);
                }

                heldWordLine = 0;
                blanksAfterHeldWord = 0;
            }

            var first = !seenContent;
            seenContent = true;
            if (shape == ZkTecoLineShape.SingleToken)
            {
                if (first)
                {
                    yield return RawRecord.Skipped(lineNumber);
                }
                else
                {
                    heldWordLine = lineNumber;
                }

                continue;
            }

            yield return result == LineReadResult.OverLong
                ? RawRecord.Rejected(lineNumber, "line", OverLong)
                : parser.Parse(lines.Current, lineNumber);
        }

        if (heldWordLine != 0)
        {
            yield return RawRecord.Skipped(heldWordLine);
            for (var blank = 1; blank <= blanksAfterHeldWord; blank++)
            {
                yield return RawRecord.Skipped(heldWordLine + blank);
            }
        }
    }
}
