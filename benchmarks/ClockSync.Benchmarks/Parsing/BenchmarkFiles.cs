using System.Globalization;
using ClockSync.Benchmarks.Generation;

namespace ClockSync.Benchmarks.Parsing;

/// <summary>The generated exports the parse benchmarks read, made once per line count in the temp folder.</summary>
internal static class BenchmarkFiles
{
    // Bump when the generator changes, so a stale file from an earlier run is not read.
    private const string Version = "v1";

    public static string AttLog(int lines) =>
        SyntheticExports.Cached(Name("attlog", lines, "dat"), path => SyntheticExports.WriteAttLog(path, lines));

    public static string Csv(int lines) =>
        SyntheticExports.Cached(Name("hikvision", lines, "csv"), path => SyntheticExports.WriteCsv(path, lines));

    private static string Name(string shape, int lines, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{shape}-{lines}-{Version}.{extension}");
}
