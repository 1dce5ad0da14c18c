using System.Globalization;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// The workbook target: a process reading or ingesting any workbook peaks at 200 MB at most (README, "Hostile
/// workbooks"). MB here is 10^6 bytes, the stricter reading.
/// </summary>
internal static class MemoryTarget
{
    public const long Bytes = 200_000_000;

    public static double Megabytes(long bytes) => bytes / 1e6;

    public static string Verdict(long peakBytes) => peakBytes <= Bytes ? "PASS" : "MISS";

    /// <summary>A row of the workbook summary: one path of one workbook, its peak in MB and PASS/MISS.</summary>
    public static string Row(string workbook, string path, long peakBytes) => string.Create(
        CultureInfo.InvariantCulture, $"| {workbook,-24} | {path,-8} | {Megabytes(peakBytes),8:F0} | {Verdict(peakBytes),-8} |");

    public const string Header =
        "| Workbook                 | Path     | VmHWM MB | ≤ 200 MB |\n"
        + "|--------------------------|----------|---------:|----------|";
}
