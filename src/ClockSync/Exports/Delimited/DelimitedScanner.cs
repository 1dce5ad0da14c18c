namespace ClockSync.Exports.Delimited;

/// <summary>What <see cref="DelimitedScanner{T}"/> found next.</summary>
internal enum ScanResult : byte
{
    /// <summary>No more input.</summary>
    End,

    /// <summary>A line (or record) was read; its fields are available until the next read.</summary>
    Read,

    /// <summary>A line longer than the limit was skipped without being buffered whole.</summary>
    TooLong,

    /// <summary>
    /// A quoted field opened on this line was not closed within the limit or before the end of the input: that first
    /// line alone is consumed (and should be rejected); reading resumes on the next physical line.
    /// </summary>
    UnclosedQuote,
}

/// <summary>Limits and helpers shared by both kinds of <see cref="DelimitedScanner{T}"/>.</summary>
internal static class DelimitedScanner
{
    /// <summary>
    /// Longest record accepted, in the units scanned: characters on the decoded path, bytes on the UTF-8 path (where
    /// a line of Chinese text is refused at about a third of the characters; both bound memory, which is the point).
    /// </summary>
    public const int DefaultMaxRecordLength = 64 * 1024;

    /// <summary>Splits one complete line (a header candidate) into unquoted cells.</summary>
    public static List<string> SplitLine(ReadOnlySpan<char> line, char delimiter)
    {
        var cells = new List<string>();
        var pos = 0;
        while (true)
        {
            var cell = new System.Text.StringBuilder();
            if (pos < line.Length && line[pos] == '"')
            {
                pos++;
                while (pos < line.Length)
                {
                    if (line[pos] == '"')
                    {
                        if (pos + 1 < line.Length && line[pos + 1] == '"')
                        {
                            cell.Append('"');
                            pos += 2;
                            continue;
                        }

                        pos++;
                        break;
                    }

                    cell.Append(line[pos++]);
                }
            }

            var stop = line[pos..].IndexOf(delimiter);
            var rest = stop < 0 ? line[pos..] : line.Slice(pos, stop);
            cell.Append(rest);
            cells.Add(cell.ToString());
            if (stop < 0)
            {
                return cells;
            }

            pos += stop + 1;
        }
    }
}
