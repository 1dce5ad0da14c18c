using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// Ingest only, in a process of its own so its peak working set is the ingest's and nothing else's: the parent
/// uploads the export and starts this with the storage connection in <see cref="ConnectionVariable"/>. Prints one
/// <see cref="ResultPrefix"/> line the parent parses.
/// </summary>
internal static class IngestMemoryProbe
{
    public const string Flag = "--ingest-only";
    public const string ConnectionVariable = "CLOCKSYNC_BENCH_STORAGE";
    public const string ResultPrefix = "INGEST-ONLY ";

    public sealed record Result(long Punches, int Batches, double Seconds, long BaselineBytes, long PeakBytes, bool PeakReset, long ManagedHeapBytes);

    /// <summary>Runs in the child: <c>pipeline-e2e --ingest-only {blob} {suffix}</c>.</summary>
    public static async Task<int> RunChildAsync(string blobName, string suffix)
    {
        var connection = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException(ConnectionVariable + " is not set; this mode is started by pipeline-e2e.");
        await using var services = PipelineBenchHost.Build(connection, feishuBaseUrl: null, suffix);
        var names = PipelineBenchHost.Names(services);
        var ingest = services.GetRequiredService<IngestClockExportHandler>();
        var storage = services.GetRequiredService<PipelineStorage>();
        var blob = new BlobServiceClient(connection).GetBlobContainerClient(names.ExportsContainer).GetBlobClient(blobName);
        await storage.EnsureCreatedAsync(CancellationToken.None);

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var reset = ResetPeak();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var baseline = self.WorkingSet64;

        var stopwatch = Stopwatch.StartNew();
        var result = await ingest.HandleAsync(blob, CancellationToken.None);
        stopwatch.Stop();
        self.Refresh();
        var peak = self.PeakWorkingSet64;
        var managedHeap = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        var row = await services.GetRequiredService<ClockSync.Storage.ImportRows.ImportStore>().GetAsync(result.ImportId, CancellationToken.None);

        // Free Azurite of this run's messages and ledger before the next, bigger one.
        await storage.BatchQueue.DeleteIfExistsAsync();
        await storage.Ledger.DeleteAsync();

        Console.WriteLine(ResultPrefix + string.Join(' ', new object[]
        {
            row?.NewPunches ?? -1, result.BatchesEnqueued, stopwatch.Elapsed.TotalSeconds, baseline, peak, reset, managedHeap,
        }.Select(value => Convert.ToString(value, CultureInfo.InvariantCulture))));
        return 0;
    }

    /// <summary>Runs the child for an uploaded export and parses its result.</summary>
    public static async Task<Result> MeasureAsync(string storageConnection, string blobName, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(start.FileName), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(IngestMemoryProbe).Assembly.Location);
        }

        foreach (var arg in new[] { PipelineEndToEndBench.Command, Flag, blobName, Guid.NewGuid().ToString("N")[..10] })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[ConnectionVariable] = storageConnection;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the ingest-only child.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var line = (await stdout).Split('\n').Select(text => text.Trim()).FirstOrDefault(text => text.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The ingest-only child failed (exit {process.ExitCode}):{Environment.NewLine}{await stderr}");
        }

        var parts = line[ResultPrefix.Length..].Split(' ');
        return new Result(
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture),
            long.Parse(parts[3], CultureInfo.InvariantCulture),
            long.Parse(parts[4], CultureInfo.InvariantCulture),
            bool.Parse(parts[5]),
            long.Parse(parts[6], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Resets the kernel's peak-RSS mark (VmHWM, Linux ≥ 4.0) so the peak read afterwards is the ingest's, not
    /// start-up's. False where that is not possible; the peak then covers the whole child.
    /// </summary>
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
