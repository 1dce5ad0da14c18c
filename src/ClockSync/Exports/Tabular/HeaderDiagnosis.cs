using ClockSync.Exports.Delimited;

namespace ClockSync.Exports.Tabular;

/// <summary>
/// Says why no header was found, when a row looks like one: which columns it has, which field it lacks, and the
/// known name nearest to one of its columns (<c>"EmpNo" is close to "Emp No."</c>), so the operator can rename the
/// column or configure it.
/// </summary>
internal static class HeaderDiagnosis
{
    private const int MaxColumnsShown = 12;

    /// <summary>
    /// Longest line, and most cells, looked at: a header is short, and the description must cost little however much
    /// garbage a damaged file holds (every cell is compared with every alias).
    /// </summary>
    private const int MaxHeaderLength = 2048;
    private const int MaxCells = 64;
    private const int MaxCellLength = 64;

    /// <summary>The likeliest header among the rows, described; null when no row has two or more filled cells.</summary>
    /// <param name="place">How the message names a row's place: <c>line</c> or <c>row</c>.</param>
    public static string? Describe(IEnumerable<(long Number, IReadOnlyList<string> Cells)> rows, string place)
    {
        (long Number, IReadOnlyList<string> Cells)? best = null;
        var bestScore = 0;
        foreach (var row in rows)
        {
            if (row.Cells.Count > MaxCells)
            {
                continue;
            }

            var score = Score(row.Cells);
            if (score > bestScore)
            {
                (best, bestScore) = (row, score);
            }
        }

        return best is { } header ? Describe(header.Number, header.Cells, place) : null;
    }

    private static string Describe(long number, IReadOnlyList<string> cells, string place)
    {
        var normalised = cells.Select(cell => ColumnAliases.NormaliseHeader(cell)).ToArray();
        var matched = new HashSet<ColumnRole>();
        var unmatched = new List<int>();
        for (var i = 0; i < normalised.Length; i++)
        {
            if (normalised[i].Length is 0 or > MaxCellLength)
            {
                continue;
            }

            if (ColumnAliases.TryMatch(normalised[i], out var role, out _))
            {
                matched.Add(role);
            }
            else
            {
                unmatched.Add(i);
            }
        }

        var shown = cells.Where(cell => !string.IsNullOrWhiteSpace(cell)).Take(MaxColumnsShown).Select(cell => TabularValues.Quote(cell.AsSpan().Trim()));
        var more = cells.Count(cell => !string.IsNullOrWhiteSpace(cell)) > MaxColumnsShown ? ", …" : string.Empty;
        var missing = new List<string>();
        if (!matched.Contains(ColumnRole.UserKey))
        {
            missing.Add(Missing("user key column", cells, normalised, unmatched, ColumnRole.UserKey));
        }

        var hasTime = matched.Contains(ColumnRole.DateTime) || matched.Contains(ColumnRole.TimeOrDateTime);
        if (!hasTime)
        {
            missing.Add(Missing("time column", cells, normalised, unmatched, ColumnRole.DateTime, ColumnRole.TimeOrDateTime));
        }

        var lacks = missing.Count == 0 ? "its columns do not agree with the configured ones" : "it names no " + string.Join(" and no ", missing);
        return $"{place} {number} looks most like a header, with columns {string.Join(", ", shown)}{more}; {lacks}";
    }

    private static string Missing(string what, IReadOnlyList<string> cells, string[] normalised, List<int> unmatched, params ColumnRole[] roles)
    {
        (int Column, string Alias, int Distance)? nearest = null;
        foreach (var column in unmatched)
        {
            if (ColumnAliases.Closest(normalised[column], roles) is { } closest && (nearest is null || closest.Distance < nearest.Value.Distance))
            {
                nearest = (column, closest.Alias, closest.Distance);
            }
        }

        var expected = string.Join(", ", ColumnAliases.Names(roles[0]).Take(4));
        return nearest is { } near
            ? $"{what} ({TabularValues.Quote(cells[near.Column].AsSpan().Trim())} is close to the known name \"{near.Alias}\")"
            : $"{what} (known names include {expected}…)";
    }

    /// <summary>
    /// A spreadsheet row as a header candidate: without its trailing blank cells; no cells when it is too wide to be
    /// a header (so that a damaged sheet claiming thousands of columns is not kept row by row).
    /// </summary>
    public static IReadOnlyList<string> Candidate(List<string> cells)
    {
        var count = cells.Count;
        while (count > 0 && string.IsNullOrWhiteSpace(cells[count - 1]))
        {
            count--;
        }

        return count > MaxCells ? [] : cells.GetRange(0, count);
    }

    /// <summary>
    /// The cells of a delimited line, split at whichever of comma, tab and semicolon gives the most; for describing a
    /// file in which no header was found.
    /// </summary>
    /// <returns>No cells for a line too long to be a header.</returns>
    public static IReadOnlyList<string> SplitAnyDelimiter(string line)
    {
        if (line.Length > MaxHeaderLength)
        {
            return [];
        }

        List<string> best = [line];
        foreach (var delimiter in new[] { ',', '\t', ';' })
        {
            if (line.Contains(delimiter, StringComparison.Ordinal) && DelimitedScanner.SplitLine(line, delimiter) is var cells && cells.Count > best.Count)
            {
                best = cells;
            }
        }

        return best;
    }

    /// <summary>
    /// Rows with more known names look more like a header; then rows with more cells of words (a data row has digits
    /// in most of its cells).
    /// </summary>
    private static int Score(IReadOnlyList<string> cells)
    {
        int filled = 0, words = 0, known = 0;
        foreach (var cell in cells)
        {
            if (string.IsNullOrWhiteSpace(cell))
            {
                continue;
            }

            filled++;
            words += cell.AsSpan().ContainsAnyInRange('0', '9') ? 0 : 1;
            known += ColumnAliases.TryMatch(ColumnAliases.NormaliseHeader(cell), out _, out _) ? 1 : 0;
        }

        return filled < 2 ? 0 : (known * 10_000) + (Math.Min(words, 99) * 100) + Math.Min(filled, 99);
    }
}
