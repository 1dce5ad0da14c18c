using System.Diagnostics;
using System.Globalization;
using ClockSync.Benchmarks.Generation;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// <c>memory [--sizes-mb 100,1024] [--workbooks] [--dir DIR] [--keep]</c>: the flat-memory check. For each size it streams an attlog
/// file to disk, reads it in a fresh child process per case and prints peak working set and throughput:
/// <list type="bullet">
/// <item><c>records</c>: <c>ExportFileReader.Open</c> + every record (the reader alone);</item>
/// <item><c>import</c> on a file of unique punches: the whole path, whose dedupe set grows by one fingerprint per unique punch;</item>
/// <item><c>import</c> on a file that repeats 10,000 punches: the whole path with a dedupe set of fixed size.</item>
/// </list>
/// With <c>--workbooks</c> it measures the workbooks of <see cref="MemoryWorkbooks"/> instead (hostile ones refused,
/// the largest accepted on each limit, a large ordinary one). The files are deleted afterwards unless <c>--keep</c>.
/// </summary>
internal static class MemoryCommand
{
    public const string Name = "memory";
    private const int RepeatedPunches = 10_000;

    /// <summary>Runs <c>memory</c> or its child <c>memory-probe</c>; false for any other command line (a benchmark run).</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = args switch
        {
            [Name, .. var rest] => Run(rest),
            [MemoryProbe.Name, .. var rest] => MemoryProbe.Run(rest),
            _ => -1,
        };
        return exitCode != -1;
    }

    private static int Run(string[] args)
    {
        var sizes = new List<long> { 100, 1024 };
        var folder = Path.Combine(Path.GetTempPath(), "clocksync-memory");
        var keep = false;
        var workbooks = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workbooks":
                    workbooks = true;
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
                    Console.Error.WriteLine($"usage: {Name} [--sizes-mb 100,1024] [--workbooks] [--dir DIR] [--keep]   (unknown: {args[i]})");
                    return 2;
            }
        }

        Directory.CreateDirectory(folder);
        var results = new List<MemoryProbeResult>();
        if (workbooks)
        {
            ProbeWorkbooks(folder, keep, results);
            Print(results);
            return 0;
        }

        foreach (var megabytes in sizes)
        {
            var bytes = megabytes * 1024 * 1024;
            var unique = Path.Combine(folder, $"attlog-{megabytes}mb-unique.dat");
            var repeating = Path.Combine(folder, $"attlog-{megabytes}mb-repeating.dat");
            try
            {
                Generate(unique, bytes, distinctPunches: null);
                results.Add(Probe(MemoryProbe.Records, unique, "unique"));
                results.Add(Probe(MemoryProbe.Import, unique, "unique"));
                Delete(unique, keep);

                Generate(repeating, bytes, RepeatedPunches);
                results.Add(Probe(MemoryProbe.Records, repeating, $"repeats {RepeatedPunches:N0}"));
                results.Add(Probe(MemoryProbe.Import, repeating, $"repeats {RepeatedPunches:N0}"));
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

    private static void ProbeWorkbooks(string folder, bool keep, List<MemoryProbeResult> results)
    {
        foreach (var (name, content, write) in MemoryWorkbooks.Cases)
        {
            var path = Path.Combine(folder, name);
            try
            {
                var watch = Stopwatch.StartNew();
                using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(file);
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"generated {name}: {new FileInfo(path).Length / 1024.0:N0} KiB in {watch.Elapsed.TotalSeconds:F1} s"));
                results.Add(Probe(MemoryProbe.Records, path, content));
                results.Add(Probe(MemoryProbe.Import, path, content));
            }
            finally
            {
                Delete(path, keep);
            }
        }
    }

    private static void Generate(string path, long bytes, int? distinctPunches)
    {
        var watch = Stopwatch.StartNew();
        var lines = SyntheticExports.WriteAttLogOfSize(path, bytes, distinctPunches);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"generated {Path.GetFileName(path)}: {new FileInfo(path).Length / 1048576.0:F0} MiB, {lines:N0} lines in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    private static MemoryProbeResult Probe(string mode, string path, string content)
    {
        // A fresh process per case: peak working set is a high-water mark and would otherwise carry over.
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(MemoryCommand).Assembly.Location);
        }

        start.ArgumentList.Add(MemoryProbe.Name);
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(path);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The probe did not start.");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The probe failed ({child.ExitCode}): {output}");
        }

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
