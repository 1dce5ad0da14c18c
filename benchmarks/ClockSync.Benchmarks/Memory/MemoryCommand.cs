using System.Diagnostics;
using System.Globalization;
using ClockSync.Benchmarks.Generation;
using ClockSync.Cli.Emulators;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// <c>memory [--sizes-mb 100,1024] [--workbooks [--only NAME]] [--dir DIR] [--keep]</c>: the flat-memory check. For each size it streams an attlog
/// file to disk, reads it in a fresh child process per case and prints peak working set and throughput:
/// <list type="bullet">
/// <item><c>records</c>: <c>ExportFileReader.Open</c> + every record (the reader alone);</item>
/// <item><c>import</c> on a file of unique punches: the whole path, whose dedupe set grows by one fingerprint per unique punch;</item>
/// <item><c>import</c> on a file that repeats 10,000 punches: the whole path with a dedupe set of fixed size.</item>
/// </list>
/// With <c>--workbooks</c> it measures the workbooks of <see cref="MemoryWorkbooks"/> instead (hostile ones refused,
/// the largest accepted on each limit, a large ordinary one): <c>records</c>, <c>import</c> (what <c>clocksync
/// validate</c> runs) and the ingest (<see cref="WorkbookIngestProbe"/>, on a real Azurite), each peak against 200 MB.
/// The files are deleted afterwards unless <c>--keep</c>.
/// </summary>
internal static class MemoryCommand
{
    public const string Name = "memory";
    private const int RepeatedPunches = 10_000;

    /// <summary>Runs <c>memory</c> or its child <c>memory-probe</c>; null for any other command line (a benchmark run).</summary>
    public static async Task<int?> TryRunAsync(string[] args) => args switch
    {
        [Name, .. var rest] => await RunAsync(rest),
        [MemoryProbe.Name, .. var rest] => await MemoryProbe.RunAsync(rest),
        _ => null,
    };

    private static async Task<int> RunAsync(string[] args)
    {
        var sizes = new List<long> { 100, 1024 };
        var folder = Path.Combine(Path.GetTempPath(), "clocksync-memory");
        var keep = false;
        var workbooks = false;
        string? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workbooks":
                    workbooks = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = args[++i];
                    break;
                case "--sizes-mb" when i + 1 < args.Length:
                    sizes = [.. args[++i].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--dir" when i + 1 < args.Length:
                    folder = args[++i];
                    break;
                case "--keep":
                    keep = true;
                    break;
                default:
                    Console.Error.WriteLine($"usage: {Name} [--sizes-mb 100,1024] [--workbooks [--only NAME]] [--dir DIR] [--keep]   (unknown: {args[i]})");
                    return 2;
            }
        }

        Directory.CreateDirectory(folder);
        var results = new List<MemoryProbeResult>();
        if (workbooks)
        {
            return await ProbeWorkbooksAsync(folder, keep, only, results);
        }

        foreach (var megabytes in sizes)
        {
            var bytes = megabytes * 1024 * 1024;
            var unique = Path.Combine(folder, $"attlog-{megabytes}mb-unique.dat");
            var repeating = Path.Combine(folder, $"attlog-{megabytes}mb-repeating.dat");
            try
            {
                Generate(unique, bytes, distinctPunches: null);
                results.Add(await ProbeAsync(MemoryProbe.Records, unique, "unique"));
                results.Add(await ProbeAsync(MemoryProbe.Import, unique, "unique"));
                Delete(unique, keep);

                Generate(repeating, bytes, RepeatedPunches);
                results.Add(await ProbeAsync(MemoryProbe.Records, repeating, $"repeats {RepeatedPunches:N0}"));
                results.Add(await ProbeAsync(MemoryProbe.Import, repeating, $"repeats {RepeatedPunches:N0}"));
            }
            finally
            {
                Delete(unique, keep);
                Delete(repeating, keep);
            }
        }

        Print(results);
        return 0;
    }

    /// <summary>
    /// Each workbook through <c>records</c>, <c>import</c> and the ingest. Exits 1 when an ingest did the wrong thing
    /// with a workbook (a hostile one not refused, or an allowed one's punches not enqueued exactly): that is a fault,
    /// not a figure. A peak over the target is a figure: MISS, exit 0.
    /// </summary>
    private static async Task<int> ProbeWorkbooksAsync(string folder, bool keep, string? only, List<MemoryProbeResult> results)
    {
        var ct = CancellationToken.None;
        await using var azurite = await AzuriteProcess.StartAsync(toolsRoot: null, progress: Console.WriteLine, ct);
        var ingests = new List<WorkbookIngestResult>();
        foreach (var workbook in MemoryWorkbooks.Cases.Where(workbook => only is null || workbook.Name == only))
        {
            var path = Path.Combine(folder, workbook.Name);
            try
            {
                var watch = Stopwatch.StartNew();
                using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    workbook.Write(file);
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"generated {workbook.Name}: {new FileInfo(path).Length / 1024.0:N0} KiB in {watch.Elapsed.TotalSeconds:F1} s"));
                results.Add(await ProbeAsync(MemoryProbe.Records, path, workbook.Content));
                results.Add(await ProbeAsync(MemoryProbe.Import, path, workbook.Content));
                var ingest = await WorkbookIngestProbe.MeasureAsync(azurite.ConnectionString, path, workbook, ct);
                Console.WriteLine(ingest.ToRow());
                ingests.Add(ingest);
            }
            finally
            {
                Delete(path, keep);
            }
        }

        Print(results);
        Console.WriteLine();
        Console.WriteLine("Ingest (IngestClockExportHandler on Azurite; the child's whole peak, Azurite's own processes not counted):");
        Console.WriteLine(WorkbookIngestResult.Header);
        ingests.ForEach(ingest => Console.WriteLine(ingest.ToRow()));
        Console.WriteLine();
        Console.WriteLine($"Peak per path against {MemoryTarget.Bytes / 1_000_000} MB (MB = 10^6 bytes):");
        Console.WriteLine(MemoryTarget.Header);
        var probes = results.Select(result => (result.Content, Path: result.Mode == MemoryProbe.Import ? "validate" : result.Mode, result.Peak))
            .Concat(ingests.Select(ingest => (ingest.Workbook.Content, Path: WorkbookIngestProbe.Mode, ingest.Memory.Peak)));
        foreach (var (content, path, peak) in probes.OrderBy(probe => MemoryWorkbooks.Cases.ToList().FindIndex(w => w.Content == probe.Content)))
        {
            Console.WriteLine(MemoryTarget.Row(content, path, peak));
        }

        var wrong = ingests.Where(ingest => ingest.Wrong is not null).ToList();
        wrong.ForEach(ingest => Console.Error.WriteLine($"WRONG: {ingest.Workbook.Name}: {ingest.Wrong}"));
        return wrong.Count == 0 ? 0 : 1;
    }

    private static void Generate(string path, long bytes, int? distinctPunches)
    {
        var watch = Stopwatch.StartNew();
        var lines = SyntheticExports.WriteAttLogOfSize(path, bytes, distinctPunches);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"generated {Path.GetFileName(path)}: {new FileInfo(path).Length / 1048576.0:F0} MiB, {lines:N0} lines in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    private static async Task<MemoryProbeResult> ProbeAsync(string mode, string path, string content)
    {
        var output = await ProbeProcess.RunAsync([mode, path], environment: null, CancellationToken.None);
        var result = MemoryProbeResult.Parse(output.Trim()) with { Content = content, FileBytes = new FileInfo(path).Length };
        Console.WriteLine(result.ToRow());
        return result;
    }

    private static void Print(List<MemoryProbeResult> results)
    {
        Console.WriteLine();
        Console.WriteLine(MemoryProbeResult.Header);
        foreach (var result in results)
        {
            Console.WriteLine(result.ToRow());
        }
    }

    private static void Delete(string path, bool keep)
    {
        if (!keep && File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
