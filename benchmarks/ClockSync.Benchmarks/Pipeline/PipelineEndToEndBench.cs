using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ClockSync.Cli.Emulators;
using ClockSync.FeishuSandbox;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// The issue's end-to-end figures: a generated attlog export uploaded to <c>clock-exports</c> on a real Azurite,
/// ingested by <see cref="IngestClockExportHandler"/>, drained by a pool of consumers calling
/// <see cref="PostPunchBatchHandler"/> into a Feishu sandbox that enforces 50 requests/s; then ingest-only runs of
/// 100k and 1M punches in child processes for peak memory. A measurement: it prints PASS/MISS per target and exits 0.
/// <c>dotnet run -c Release --project benchmarks/ClockSync.Benchmarks -- pipeline-e2e [punches] [memory-sizes,comma-separated|none] [consumers]</c>;
/// <c>pipeline-e2e --hosts N [punches]</c> measures posting by N processes instead (<see cref="MultiHostPostingBench"/>);
/// <c>pipeline-e2e --users N --days D [--order time|person|both]</c> what the export's row order costs (<see cref="ExportOrderBench"/>).
/// </summary>
public static class PipelineEndToEndBench
{
    public const string Command = "pipeline-e2e";

    private const double Limit = 50;

    /// <summary>
    /// Set to 0 for the measuring process. A Functions worker runs for hours and its code is fully compiled long before;
    /// here an ingest lasts 2 s, and with tiered compilation on, the ingest's own code was recompiled at tier 1 during
    /// it (perf: about 0.5 CPU-seconds of JIT in a 2.7 s ingest on 2 cores), while the plain loop's send path had been
    /// warmed by its burst. With tiering off every method is compiled optimised once, at first call, for both sides.
    /// </summary>
    private const string TieringVariable = "DOTNET_TieredCompilation";

    /// <summary>Ingests timed against the plain loop; the median ratio is the figure.</summary>
    private const int ThroughputRounds = 5;

    /// <summary>Concurrent deliveries, as the queue trigger runs them with host.json's batchSize 8 + newBatchThreshold 4.</summary>
    private const int DefaultConsumers = 12;

    /// <summary>host.json's <c>queues.batchSize</c>: messages the listener receives per call.</summary>
    private const int HostBatchSize = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is [IngestMemoryProbe.Flag, var childBlob, var childSuffix])
        {
            return await IngestMemoryProbe.RunChildAsync(childBlob, childSuffix);
        }

        if (args is [MultiHostPostingBench.ChildFlag, var postSuffix, var sandboxUrl])
        {
            return await MultiHostPostingBench.RunChildAsync(postSuffix, sandboxUrl);
        }

        if (Environment.GetEnvironmentVariable(TieringVariable) is null)
        {
            return await RunWithoutTieringAsync(args);
        }

        if (args is [MultiHostPostingBench.HostsFlag, var hosts, ..])
        {
            // Posting only: N posting processes against one, 20,000 punches unless told.
            return await MultiHostPostingBench.RunAsync(
                int.Parse(hosts, CultureInfo.InvariantCulture), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000, CancellationToken.None);
        }

        if (ExportOrderBench.Handles(args))
        {
            // The same punches in time order and sorted by person (--users, --days, --order).
            return await ExportOrderBench.RunAsync(args, CancellationToken.None);
        }

        var punches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        int[] memorySizes = args.Length > 1
            ? args[1] == "none" ? [] : args[1].Split(',').Select(size => int.Parse(size, CultureInfo.InvariantCulture)).ToArray()
            : [100_000, 1_000_000];
        var consumers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : DefaultConsumers;
        var ct = CancellationToken.None;

        await using var azurite = await AzuriteProcess.StartAsync(toolsRoot: null, progress: Console.WriteLine, ct);
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(Limit) }, ct);
        var figures = new List<(string Name, string Value, string Target, bool? Pass)>();
        var cpu = new CpuClock([("bench", Environment.ProcessId), .. azurite.Processes]);

        var tableResponses = new StatusCounter();
        using var phases = new PostingPhases();
        await using (var services = PipelineBenchHost.Build(azurite.ConnectionString, sandbox.BaseAddress, tablePolicy: tableResponses))
        {
            var names = PipelineBenchHost.Names(services);
            var storage = services.GetRequiredService<PipelineStorage>();
            var ingest = services.GetRequiredService<IngestClockExportHandler>();
            var post = services.GetRequiredService<PostPunchBatchHandler>();
            var exports = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(names.ExportsContainer);
            var queue = new QueueClient(azurite.ConnectionString, names.BatchQueue, StorageAccountClients.QueueOptions());
            await storage.EnsureCreatedAsync(ct);

            // Warm-up (connections, table provisioning, the tenant token, the first compile of every path): a file through the
            // whole pipeline. 100 batches, not 3, so the ingest opens as many queue connections as it sends in parallel, as
            // the plain loop's burst below does. (Recompilation at tier 1 is kept out by running with tiering off, above.)
            const int warmUpPunches = 5_000;
            var warmUp = exports.GetBlobClient("warm-up_attlog.dat");
            await warmUp.UploadAsync(BinaryData.FromString(AttLogExport.WarmUp(warmUpPunches)), overwrite: true, ct);
            await ingest.HandleAsync(warmUp, ct);
            await DrainAsync(queue, post, phases, consumers, ct);

            var file = Path.Combine(Path.GetTempPath(), $"clocksync-bench-{Guid.NewGuid():N}_attlog.dat");
            try
            {
                await AttLogExport.WriteAsync(file, punches, ct);
                var size = new FileInfo(file).Length;
                var blob = exports.GetBlobClient($"bench-{punches}_attlog.dat");
                var requestsBefore = sandbox.Requests.Count;

                var fromUpload = Stopwatch.StartNew();
                await using (var content = File.OpenRead(file))
                {
                    await blob.UploadAsync(content, overwrite: true, ct);
                }

                var uploaded = fromUpload.Elapsed;

                // The plain loop runs right before and right after each ingest, and the ingest is compared with their mean: on a
                // shared machine the queue's speed drifts, and one sample on one side would credit or blame the ingest. There
                // are five such rounds and the median ratio is the figure: one round on 2 cores swings by ±0.1. Every round
                // ingests into a pipeline of its own whose queue is deleted afterwards, so each loop and each ingest meets the
                // queue service in the same state: the batches kept for posting, 2,000 messages held by Azurite, are enqueued
                // only after the rounds (they made the loop right after them run slower than the others).
                var sample = BinaryData.FromBytes(new Storage.Batches.BatchMessage("sample", 1,
                    AttLogExport.SampleRecords()).ToUtf8Json());
                // Azurite (a Node process) compiles its queue path on first use: one unmeasured burst, so neither side pays that.
                _ = await PlainEnqueueRateAsync(azurite.ConnectionString, sample, 4000, names.EnqueueParallelism, ct);
                var cpuPlain = cpu.Read();
                var plainWatch = Stopwatch.StartNew();
                var plainRates = new List<double> { await PlainEnqueueRateAsync(azurite.ConnectionString, sample, punches / 50, names.EnqueueParallelism, ct) };
                plainWatch.Stop();
                var cpuPlainAfter = cpu.Read();

                var rounds = new List<SideIngest>();
                for (var round = 1; round <= ThroughputRounds; round++)
                {
                    var side = await SideIngestAsync(azurite.ConnectionString, warmUp.Name, blob.Name, cpu, ct);
                    rounds.Add(side);
                    plainRates.Add(await PlainEnqueueRateAsync(azurite.ConnectionString, sample, side.Sent, names.EnqueueParallelism, ct));
                    Console.WriteLine(F($"round {round}: ingest {side.Seconds:F2} s, plain loop {plainRates[^2]:F0} before, {plainRates[^1]:F0} after (msg/s)"));
                }

                var ingestRates = rounds.Select(round => round.Sent / round.Seconds).ToList();
                var ratios = ingestRates.Select((rate, i) => rate / ((plainRates[i] + plainRates[i + 1]) / 2)).ToList();
                var medianRatio = ratios.Order().ElementAt(ratios.Count / 2);

                // The pipeline that is drained and posted below.
                var ingestWatch = Stopwatch.StartNew();
                var result = await ingest.HandleAsync(blob, ct);
                ingestWatch.Stop();
                var batches = result.BatchesEnqueued;

                var tableBefore = tableResponses.Snapshot();
                phases.Reset();
                var postingStart = DateTimeOffset.UtcNow;
                var postWatch = Stopwatch.StartNew();
                var delivered = await DrainAsync(queue, post, phases, consumers, ct);
                postWatch.Stop();
                fromUpload.Stop();
                var tableAfter = tableResponses.Snapshot();

                var requests = sandbox.Requests.Snapshot().Skip(requestsBefore).ToList();
                var accepted = requests.Where(request => request.Endpoint == SandboxEndpoints.BatchCreate && request.AcceptedCount > 0).ToList();
                var lastAccepted = accepted.Count > 0 ? accepted.Max(request => request.Time) : postingStart;
                var toLedger = (lastAccepted - postingStart).TotalSeconds;
                var ledger = sandbox.Ledger.Snapshot();
                var expected = punches + warmUpPunches;
                var distinct = ledger.Select(record => record.IdempotentId).Distinct(StringComparer.Ordinal).Count();
                var complete = ledger.Count == expected && distinct == expected;
                var floor = batches / Limit;
                var throttled = sandbox.Requests.Snapshot().Count(request => request.Status == 429);
                var tokens = sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.Token);
                var failed = 0;
                await foreach (var _ in storage.FailedBatches.QueryAsync<Azure.Data.Tables.TableEntity>(cancellationToken: ct))
                {
                    failed++;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"export: {punches} punches, {size / 1048576.0:F1} MiB, {batches} batches; upload {uploaded.TotalSeconds:F2} s; {delivered} messages delivered by {consumers} consumers"));
                figures.Add(("ingest time (blob -> all enqueued)", F($"{string.Join(", ", rounds.Select(round => round.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} s (rounds 1-{ThroughputRounds}); {ingestWatch.Elapsed.TotalSeconds:F2} s (the posted pipeline)"), "-", null));
                figures.Add(("ingest enqueue rate", F($"{string.Join(", ", ingestRates.Select(rate => rate.ToString("F0", CultureInfo.InvariantCulture)))} msg/s"), "-", null));
                figures.Add(("plain SendMessageAsync rate", F($"{string.Join(", ", plainRates.Select(rate => rate.ToString("F0", CultureInfo.InvariantCulture)))} msg/s (before, between and after the rounds; parallelism {names.EnqueueParallelism}, {sample.ToMemory().Length} B JSON)"), "-", null));
                figures.Add(("CPU during the first plain loop", cpu.Describe(cpuPlain, cpuPlainAfter, plainWatch.Elapsed.TotalSeconds), "-", null));
                figures.Add(("CPU during round 1's ingest", cpu.Describe(rounds[0].CpuBefore, rounds[0].CpuAfter, rounds[0].Seconds), "-", null));
                figures.Add(("ingest / plain enqueue, median of rounds", F($"{medianRatio:F2} (rounds: {string.Join(", ", ratios.Select(ratio => ratio.ToString("F2", CultureInfo.InvariantCulture)))})"), ">= 0.80", medianRatio >= 0.8));
                figures.Add(("posting start -> ledger complete", F($"{toLedger:F2} s ({toLedger / floor:F2}x floor {floor:F0} s)"), "<= 1.10x", complete && toLedger <= 1.1 * floor));
                figures.Add(("posting start -> queue drained", F($"{postWatch.Elapsed.TotalSeconds:F2} s ({postWatch.Elapsed.TotalSeconds / floor:F2}x)"), "-", null));
                figures.Add(("upload -> queue drained", F($"{fromUpload.Elapsed.TotalSeconds:F2} s ({fromUpload.Elapsed.TotalSeconds / floor:F2}x floor)"), "-", null));
                figures.Add(("sandbox ledger", F($"{ledger.Count} flows, {distinct} distinct (expected {expected})"), "all, once", complete));
                figures.Add(("posting: table requests, 412 of them", F($"{tableAfter.Responses - tableBefore.Responses}, {tableAfter.PreconditionFailed - tableBefore.PreconditionFailed} (412: lost ETag races)"), "-", null));
                figures.Add(("posting: table request mean latency", F($"{(tableAfter.Milliseconds - tableBefore.Milliseconds) / Math.Max(1, tableAfter.Responses - tableBefore.Responses):F1} ms"), "-", null));
                figures.Add(("posting: consumer time per message", phases.Describe(), "-", null));
                figures.Add(("429 responses", F($"{throttled}"), "0", throttled == 0));
                figures.Add(("token requests", F($"{tokens}"), "1", tokens == 1));
                figures.Add(("FailedBatches rows", F($"{failed}"), "0", failed == 0));
            }
            finally
            {
                File.Delete(file);
            }

            foreach (var size in memorySizes)
            {
                var memory = await IngestOnlyAsync(azurite.ConnectionString, exports, size, ct);
                Console.WriteLine(F($"ingest-only {size}: {memory}"));
                figures.Add(($"ingest-only {size:N0}: time", F($"{memory.Seconds:F2} s, {memory.Batches} batches, {memory.Punches} new punches"), "-", null));
                figures.Add(($"ingest-only {size:N0}: peak working set", F($"{Mib(memory.PeakBytes)} MiB (before ingest {Mib(memory.BaselineBytes)} MiB, +{Mib(memory.PeakBytes - memory.BaselineBytes)}; managed heap {Mib(memory.ManagedHeapBytes)} MiB; peak {(memory.PeakReset ? "reset before ingest" : "since process start")})"), "flat", null));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"pipeline-e2e: {punches} punches, sandbox and client at {Limit}/s, {consumers} consumers, {Environment.ProcessorCount} cores, tiered compilation off");
        foreach (var (name, value, target, pass) in figures)
        {
            Console.WriteLine($"  {name,-40} {value,-70} {target,-10} {(pass is null ? string.Empty : pass.Value ? "PASS" : "MISS")}");
        }

        return 0;
    }

    /// <summary>
    /// Delivers every message to the post handler the way the WebJobs queue listener does with host.json's settings:
    /// receive up to <see cref="HostBatchSize"/> messages a call, process them concurrently, and receive again once the
    /// messages in flight drop to <c>consumers</c> − <see cref="HostBatchSize"/> (newBatchThreshold), deleting each
    /// message after its handler returns.
    /// </summary>
    internal static async Task<int> DrainAsync(QueueClient queue, PostPunchBatchHandler post, PostingPhases phases, int consumers, CancellationToken ct)
    {
        var threshold = Math.Max(0, consumers - HostBatchSize);
        var delivered = 0;
        var inFlight = new List<Task>();
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var messages = (await queue.ReceiveMessagesAsync(Math.Min(HostBatchSize, consumers), TimeSpan.FromMinutes(5), ct)).Value;
            phases.Received(started);
            if (messages.Length == 0 && inFlight.Count == 0)
            {
                return delivered;
            }

            foreach (var message in messages)
            {
                inFlight.Add(Task.Run(async () =>
                {
                    var handling = Stopwatch.GetTimestamp();
                    await post.HandleAsync(message.MessageText, message.DequeueCount, ct);
                    phases.Handled(handling);
                    var deleting = Stopwatch.GetTimestamp();
                    try
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    }
                    catch (Azure.RequestFailedException exception) when (exception.Status == 404)
                    {
                        // The SDK retried a delete whose first try had already succeeded (a timed-out response under load).
                    }

                    phases.Deleted(deleting);
                    Interlocked.Increment(ref delivered);
                }, ct));
            }

            // As the listener: fetch again only when the work in flight has dropped to the threshold (or, with an empty
            // queue, when something finished and might have been the last).
            while (inFlight.Count > 0 && (inFlight.Count > threshold || messages.Length == 0))
            {
                var done = await Task.WhenAny(inFlight);
                await done;
                inFlight.Remove(done);
                if (messages.Length == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// One timed ingest of <paramref name="exportBlob"/> into a pipeline of its own (queue, tables, containers), warmed
    /// with <paramref name="warmUpBlob"/> first as the main one was; its queue is deleted afterwards.
    /// </summary>
    private static async Task<SideIngest> SideIngestAsync(string connection, string warmUpBlob, string exportBlob, CpuClock cpu, CancellationToken ct)
    {
        await using var services = PipelineBenchHost.Build(connection, feishuBaseUrl: null, suffix: Guid.NewGuid().ToString("N")[..10]);
        var names = PipelineBenchHost.Names(services);
        var storage = services.GetRequiredService<PipelineStorage>();
        var ingest = services.GetRequiredService<IngestClockExportHandler>();
        var exports = new BlobServiceClient(connection).GetBlobContainerClient(names.ExportsContainer);
        await storage.EnsureCreatedAsync(ct);
        await ingest.HandleAsync(exports.GetBlobClient(warmUpBlob), ct);
        var before = cpu.Read();
        var watch = Stopwatch.StartNew();
        var result = await ingest.HandleAsync(exports.GetBlobClient(exportBlob), ct);
        watch.Stop();
        var after = cpu.Read();
        await storage.BatchQueue.DeleteAsync(ct);
        return new SideIngest(watch.Elapsed.TotalSeconds, result.BatchesEnqueued, before, after);
    }

    private sealed record SideIngest(double Seconds, int Sent, IReadOnlyList<double> CpuBefore, IReadOnlyList<double> CpuAfter);

    /// <summary>Runs this command again in a child process with tiered compilation off, on this console.</summary>
    private static async Task<int> RunWithoutTieringAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(start.FileName), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(PipelineEndToEndBench).Assembly.Location);
        }

        start.ArgumentList.Add(Command);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[TieringVariable] = "0";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the measuring process.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private static async Task<double> PlainEnqueueRateAsync(string connection, BinaryData body, int count, int parallelism, CancellationToken ct)
    {
        var queue = new QueueClient(connection, $"bench-plain-{Guid.NewGuid():N}", StorageAccountClients.QueueOptions());
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await queue.SendMessageAsync(body, cancellationToken: ct);
        var next = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                await queue.SendMessageAsync(body, cancellationToken: ct);
            }
        }));
        stopwatch.Stop();
        await queue.DeleteAsync(ct);
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<IngestMemoryProbe.Result> IngestOnlyAsync(string connection, BlobContainerClient exports, int punches, CancellationToken ct)
    {
        var file = Path.Combine(Path.GetTempPath(), $"clocksync-bench-{Guid.NewGuid():N}_attlog.dat");
        try
        {
            await AttLogExport.WriteAsync(file, punches, ct);
            var blob = exports.GetBlobClient($"memory-{punches}_attlog.dat");
            await using (var content = File.OpenRead(file))
            {
                await blob.UploadAsync(content, overwrite: true, ct);
            }

            return await IngestMemoryProbe.MeasureAsync(connection, blob.Name, ct);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
}
