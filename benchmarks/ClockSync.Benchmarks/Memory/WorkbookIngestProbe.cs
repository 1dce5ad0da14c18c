using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ClockSync.Benchmarks.Generation;
using ClockSync.Benchmarks.Pipeline;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// The ingest rows of <c>memory --workbooks</c>: the workbook is uploaded to <c>clock-exports</c> on a real Azurite and
/// ingested by <see cref="IngestClockExportHandler"/>, as the blob trigger calls it, in a child process of its own
/// (<c>memory-probe ingest BLOB SUFFIX</c>, the storage connection in <see cref="IngestMemoryProbe.ConnectionVariable"/>)
/// whose peak is read. The peak is the whole child's, start-up and the pipeline's services included, as a worker's
/// would be; Azurite runs in processes of its own and is not counted. The parent then reads the import's report and
/// every message the ingest put on the queue, and checks the outcome: a hostile workbook refused as unreadable with the
/// limit it passed and nothing enqueued, an allowed one with exactly its punches enqueued.
/// </summary>
internal static class WorkbookIngestProbe
{
    public const string Mode = "ingest";
    public const string TraceVariable = "CLOCKSYNC_MEMORY_TRACE";

    /// <summary>Runs in the child: ingests the uploaded blob and prints one <see cref="MemoryProbeResult"/> line.</summary>
    public static async Task<int> RunChildAsync(string blobName, string suffix)
    {
        var connection = Environment.GetEnvironmentVariable(IngestMemoryProbe.ConnectionVariable)
            ?? throw new InvalidOperationException(IngestMemoryProbe.ConnectionVariable + " is not set; this mode is started by memory --workbooks.");
        await using var services = PipelineBenchHost.Build(connection, feishuBaseUrl: null, suffix);
        var storage = services.GetRequiredService<PipelineStorage>();
        var blob = storage.Blobs.GetBlobContainerClient(storage.Options.ExportsContainer).GetBlobClient(blobName);

        var watch = Stopwatch.StartNew();
        // CLOCKSYNC_MEMORY_TRACE=1: the child's memory every 250 ms on stderr, to see where a peak comes from (benchmarks/README.md).
        using var trace = Environment.GetEnvironmentVariable(TraceVariable) is null ? null : new Timer(
            _ =>
            {
                var info = GC.GetGCMemoryInfo(GCKind.Any);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"TRACE {watch.Elapsed.TotalSeconds:F1}s ws={Environment.WorkingSet / 1e6:F0} heap={GC.GetTotalMemory(false) / 1e6:F0} committed={info.TotalCommittedBytes / 1e6:F0} gen2={info.GenerationInfo[2].SizeAfterBytes / 1e6:F0} loh={info.GenerationInfo[3].SizeAfterBytes / 1e6:F0} gcs={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} {string.Join(' ', File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Rss", StringComparison.Ordinal) || l.StartsWith("Threads", StringComparison.Ordinal)).Select(l => l.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal)))}"));
            }, null, 0, 250);
        var result = await services.GetRequiredService<IngestClockExportHandler>().HandleAsync(blob, CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        var (peak, highWater) = (self.PeakWorkingSet64, MemoryProbe.VmHighWaterMark());
        var row = await services.GetRequiredService<ImportStore>().GetAsync(result.ImportId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Import {result.ImportId} has no Imports row.");
        Console.WriteLine(new MemoryProbeResult(
            Mode,
            row.Lines,
            row.Accepted,
            row.Duplicates,
            seconds,
            self.TotalProcessorTime.TotalSeconds,
            peak,
            highWater,
            GC.GetTotalAllocatedBytes(),
            GC.GetGCMemoryInfo().HeapSizeBytes).Format());
        return 0;
    }

    /// <summary>Uploads <paramref name="path"/>, ingests it in a child process, checks what it left behind, and removes it all.</summary>
    public static async Task<WorkbookIngestResult> MeasureAsync(string connection, string path, WorkbookCase workbook, CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        await using var services = PipelineBenchHost.Build(connection, feishuBaseUrl: null, suffix);
        var storage = services.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        var blob = storage.Blobs.GetBlobContainerClient(storage.Options.ExportsContainer).GetBlobClient(workbook.Name);
        await blob.UploadAsync(path, overwrite: true, cancellationToken);
        try
        {
            var output = await ProbeProcess.RunAsync(
                [Mode, workbook.Name, suffix], new Dictionary<string, string> { [IngestMemoryProbe.ConnectionVariable] = connection }, cancellationToken);
            var memory = MemoryProbeResult.Parse(output.Trim()) with { Content = workbook.Content, FileBytes = new FileInfo(path).Length };
            var json = await services.GetRequiredService<ImportReportStore>().ReadAsync(workbook.Name, cancellationToken)
                ?? throw new InvalidOperationException($"The ingest of {workbook.Name} wrote no report.");
            var report = ImportReport.FromJson(json);
            var (messages, punches) = await ReadQueueAsync(storage, services.GetRequiredService<BatchMessenger>(), cancellationToken);
            return new WorkbookIngestResult(workbook, memory, report, messages, punches.Count, Check(workbook, report, messages, punches));
        }
        finally
        {
            // Azurite keeps everything in memory: free it of this case before the next.
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            await Task.WhenAll(
                storage.BatchQueue.DeleteIfExistsAsync(cancellationToken),
                storage.PoisonQueue.DeleteIfExistsAsync(cancellationToken),
                storage.Reports.DeleteIfExistsAsync(cancellationToken: cancellationToken),
                storage.ClaimChecks.DeleteIfExistsAsync(cancellationToken: cancellationToken),
                storage.Imports.DeleteAsync(cancellationToken),
                storage.Ledger.DeleteAsync(cancellationToken),
                storage.FailedBatches.DeleteAsync(cancellationToken),
                storage.UnknownUsers.DeleteAsync(cancellationToken));
        }
    }

    /// <summary>Every message on the batch queue and the punches they carry (claim checks resolved).</summary>
    private static async Task<(int Messages, List<BatchRecord> Punches)> ReadQueueAsync(
        PipelineStorage storage, BatchMessenger messenger, CancellationToken cancellationToken)
    {
        var (messages, punches) = (0, new List<BatchRecord>());
        while (true)
        {
            var received = (await storage.BatchQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10), cancellationToken)).Value;
            if (received.Length == 0)
            {
                return (messages, punches);
            }

            foreach (var message in received)
            {
                messages++;
                punches.AddRange(await messenger.ReadRecordsAsync(BatchMessage.Parse(message.MessageText), cancellationToken));
            }
        }
    }

    /// <summary>Null when the ingest did what it must with this workbook, else what it did wrong.</summary>
    private static string? Check(WorkbookCase workbook, ImportReport report, int messages, List<BatchRecord> punches)
    {
        if (workbook.Punches is not { } count)
        {
            return report.Status == ImportReport.Unreadable && report.Reason?.Contains("refused before reading", StringComparison.Ordinal) == true
                && messages == 0 && report.NewPunches == 0
                ? null
                : $"expected refused with nothing enqueued; got {report.Status} ({report.Reason}), {messages} messages";
        }

        // The generator's punches, at the default zone (+08:00), each on the queue exactly once.
        var expected = HostileWorkbooks.Punches(count)
            .Select(punch => (punch.User, new DateTimeOffset(punch.Time, TimeSpan.FromHours(8)).ToUnixTimeSeconds()))
            .ToHashSet();
        var queued = punches.Select(punch => (punch.UserId, punch.CheckTime)).ToList();
        return report.Status == ImportReport.Imported && queued.Count == count && expected.SetEquals(queued)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"expected {count:N0} punches enqueued once each; got {report.Status} ({report.Reason}), {queued.Count:N0} punches, {queued.Distinct().Count():N0} distinct");
    }
}

/// <summary>One ingest row: the child's measurements, the import's report and what the queue holds.</summary>
/// <param name="Wrong">Null when the outcome is the one the workbook must have; else what went wrong.</param>
internal sealed partial record WorkbookIngestResult(WorkbookCase Workbook, MemoryProbeResult Memory, ImportReport Report, int Messages, int Punches, string? Wrong)
{
    public const string Header =
        "| Workbook                 | File KiB | Outcome                                                        | Messages | Punches queued | Seconds | VmHWM MB | ≤ 200 MB |\n"
        + "|--------------------------|---------:|----------------------------------------------------------------|---------:|---------------:|--------:|---------:|----------|";

    public string ToRow()
    {
        var outcome = Wrong is not null ? "WRONG: " + Wrong
            : Report.Status == ImportReport.Imported ? "imported"
            : $"{Report.Status}: {LimitOf(Report.Reason)}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {Workbook.Content,-24} | {Memory.FileBytes / 1024.0,8:N0} | {outcome,-62} | {Messages,8:N0} | {Punches,14:N0} | {Memory.Seconds,7:F1} | {MemoryTarget.Megabytes(Memory.Peak),8:F0} | {MemoryTarget.Verdict(Memory.Peak),-8} |");
    }

    /// <summary>The limit a refusal names (<c>limit MaxSharedStrings</c>), or its last clause when it names none.</summary>
    private static string LimitOf(string? reason)
    {
        var text = reason ?? string.Empty;
        var limit = LimitName().Match(text);
        return limit.Success ? limit.Value : text[(text.LastIndexOf(": ", StringComparison.Ordinal) + 1)..].Trim();
    }

    [GeneratedRegex(@"limit Max\w+", RegexOptions.CultureInvariant)]
    private static partial Regex LimitName();
}
