using System.Globalization;
using ClockSync.Punches;

namespace ClockSync.Cli.Commands;

/// <summary>The human form of an <see cref="ImportSummary"/>: counts first, then the first rejected lines.</summary>
internal static class SummaryText
{
    public const int RejectionsShown = 20;

    public static async Task WriteAsync(TextWriter output, ImportSummary summary, PunchOptions options)
    {
        var zone = PunchTimeZones.TryFind(options.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var lines = new List<string>
        {
            summary.File,
            Row("format", summary.Format),
            Row("encoding", summary.Encoding),
            Row("time zone", summary.TimeZone ?? options.TimeZone),
            Row("lines", Invariant($"{summary.Lines} = {summary.Skipped} skipped + {summary.Punches} punches + {summary.Duplicates} duplicates + {summary.Rejected} rejected")),
            Row("users", Invariant($"{summary.Users}")),
            Row("batches", Invariant($"{summary.Batches} (at most {options.BatchSize} punches each)")),
        };

        if (summary.FirstCheckTime is { } first && summary.LastCheckTime is { } last)
        {
            lines.Add(Row("first punch", Describe(first, zone)));
            lines.Add(Row("last punch", Describe(last, zone)));
        }

        // Only when they happened: most files have neither.
        if (summary.MatchedAtMinutePrecision > 0)
        {
            lines.Add(Row("minute", Invariant($"{summary.MatchedAtMinutePrecision} duplicates matched at minute precision (a time without seconds)")));
        }

        if (summary.DstOverlap > 0)
        {
            lines.Add(Row("DST overlap", Invariant($"{summary.DstOverlap} punches in a repeated hour placed by the overlap rule, {summary.DstOverlapLater} at the later instant")));
        }

        if (summary.Rejected > 0)
        {
            var shown = summary.Rejections.Take(RejectionsShown).ToList();
            lines.Add(string.Empty);
            lines.Add(shown.Count < summary.Rejected
                ? Invariant($"Rejected lines (first {shown.Count} of {summary.Rejected}; --json lists up to {options.MaxRejectionsListed}):")
                : "Rejected lines:");
            lines.AddRange(shown.Select(r => Invariant($"  line {r.Line,-6} {r.Field}: {r.Reason}")));
        }

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static string Row(string label, string value) => $"  {label,-12} {value}";

    private static string Describe(long unixSeconds, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone);
        return Invariant($"{local:yyyy-MM-dd HH:mm:ss zzz} ({unixSeconds})");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
