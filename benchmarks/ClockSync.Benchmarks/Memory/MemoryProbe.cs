using System.Diagnostics;
using System.Globalization;
using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// <c>memory-probe records|import FILE</c>: the child process of <see cref="MemoryCommand"/>. Reads the file once through
/// the production path and prints one line of measurements. <c>memory-probe ingest BLOB SUFFIX</c> is the ingest of an
/// uploaded workbook (<see cref="WorkbookIngestProbe"/>).
/// </summary>
internal static class MemoryProbe
{
    public const string Name = "memory-probe";
    public const string Records = "records";
    public const string Import = "import";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is [WorkbookIngestProbe.Mode, var blob, var suffix])
        {
            return await WorkbookIngestProbe.RunChildAsync(blob, suffix);
        }

        if (args.Length != 2 || args[0] is not (Records or Import))
        {
            Console.Error.WriteLine($"usage: {Name} {Records}|{Import} FILE  or  {Name} {WorkbookIngestProbe.Mode} BLOB SUFFIX");
            return 2;
        }

        var (mode, path) = (args[0], args[1]);
        var watch = Stopwatch.StartNew();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var export = ExportFileReader.Open(stream, path, ExportReadOptions.Default);
        long lines = 0, punches = 0, duplicates = 0;
        try
        {
            if (mode == Records)
            {
                foreach (var record in export.Records)
                {
                    lines++;
                    punches += record.Kind == RawRecordKind.Punch ? 1 : 0;
                }
            }
            else
            {
                // What `clocksync validate` runs.
                var summary = new PunchImporter(new PunchOptions(), TimeProvider.System).Summarise(export, CancellationToken.None);
                (lines, punches, duplicates) = (summary.Lines, summary.Punches, summary.Duplicates);
            }
        }
        catch (NotAClockExportException exception)
        {
            // A refused workbook: its peak is the point of the measurement.
            Console.Error.WriteLine(exception.Message);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        var result = new MemoryProbeResult(
            mode,
            lines,
            punches,
            duplicates,
            seconds,
            self.TotalProcessorTime.TotalSeconds,
            self.PeakWorkingSet64,
            VmHighWaterMark(),
            GC.GetTotalAllocatedBytes(),
            GC.GetGCMemoryInfo().HeapSizeBytes);
        Console.WriteLine(result.Format());
        return 0;
    }

    /// <summary>Peak resident set size from <c>/proc/self/status</c> (Linux), in bytes; -1 elsewhere.</summary>
    public static long VmHighWaterMark()
    {
        const string Path = "/proc/self/status";
        if (!File.Exists(Path))
        {
            return -1;
        }

        var line = File.ReadLines(Path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?["VmHWM:".Length..].Trim().Split(' ')[0];
        return kilobytes is null ? -1 : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
