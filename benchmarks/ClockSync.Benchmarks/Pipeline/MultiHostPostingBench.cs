using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using ClockSync.Cli.Emulators;
using ClockSync.FeishuSandbox;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// <c>pipeline-e2e --hosts N [punches]</c>: N posting processes (as N <c>clocksync run</c> hosts, or N Flex instances,
/// would be) drain one queue into one app at 50 requests/s, against one process doing the same in the same bench run.
/// Each process is a child running the post handler the way the queue listener does (host.json's 12 in flight), with
/// its own storage clients, Feishu client and shared call gate. Figures are read from the sandbox's request log.
/// </summary>
internal static class MultiHostPostingBench
{
    public const string HostsFlag = "--hosts";
    public const string ChildFlag = "--post-child";

    private const double Limit = 50;
    private const int Consumers = 12;
    private const string ResultPrefix = "POSTED ";

    public static async Task<int> RunAsync(int hosts, int punches, CancellationToken ct)
    {
        await using var azurite = await AzuriteProcess.StartAsync(toolsRoot: null, progress: Console.WriteLine, ct);
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(Limit) }, ct);

        // A warm-up run (Azurite's paths, the sandbox, this process's ingest) whose figures are not kept.
        _ = await RunOnceAsync(azurite.ConnectionString, sandbox, hosts: 1, punches: 1_000, ct);
        var single = await RunOnceAsync(azurite.ConnectionString, sandbox, hosts: 1, punches, ct);
        var multi = await RunOnceAsync(azurite.ConnectionString, sandbox, hosts, punches, ct);

        var ratio = multi.Seconds / single.Seconds;
        var rate = multi.Accepted / multi.Seconds;
        var throttledShare = multi.Calls == 0 ? 0 : (double)multi.Throttled / multi.Calls;
        var figures = new List<(string Name, string Value, string Target, bool? Pass)>
        {
            ("1 host: first call -> ledger complete", F($"{single.Seconds:F2} s, {single.Accepted / single.Seconds:F1} calls/s, {single.Calls} calls, {single.Throttled} 429s"), "-", null),
            (F($"{hosts} hosts: first call -> ledger complete"), F($"{multi.Seconds:F2} s ({ratio:F2}x 1 host)"), "<= 1.10x", multi.Complete && ratio <= 1.1),
            (F($"{hosts} hosts: aggregate rate"), F($"{rate:F1} calls/s ({rate / Limit:P1} of {Limit}/s)"), ">= 95 %", rate >= 0.95 * Limit),
            (F($"{hosts} hosts: 429s"), F($"{multi.Throttled} of {multi.Calls} calls ({throttledShare:P2})"), "<= 0.5 %", throttledShare <= 0.005),
            (F($"{hosts} hosts: calls per process"), string.Join(", ", multi.PerProcess), "-", null),
            (F($"{hosts} hosts: token requests"), F($"{multi.Tokens}"), F($"{hosts} (1 per process)"), multi.Tokens == hosts),
            ("sandbox ledger", F($"1 host {single.Ledger}, {hosts} hosts {multi.Ledger} (expected {punches} each)"), "all, once", single.Complete && multi.Complete),
        };

        Console.WriteLine();
        Console.WriteLine(F($"pipeline-e2e --hosts {hosts}: {punches} punches ({punches / 50} batches), sandbox and client at {Limit}/s, {Consumers} consumers per process, {Environment.ProcessorCount} cores"));
        foreach (var (name, value, target, pass) in figures)
        {
            Console.WriteLine($"  {name,-40} {value,-60} {target,-18} {(pass is null ? string.Empty : pass.Value ? "PASS" : "MISS")}");
        }

        return 0;
    }

    /// <summary>Runs in a child: <c>pipeline-e2e --post-child {suffix} {sandbox url}</c>; drains the queue, prints one line.</summary>
    public static async Task<int> RunChildAsync(string suffix, string sandboxUrl)
    {
        var connection = Environment.GetEnvironmentVariable(IngestMemoryProbe.ConnectionVariable)
            ?? throw new InvalidOperationException(IngestMemoryProbe.ConnectionVariable + " is not set; this mode is started by pipeline-e2e --hosts.");
        await using var services = PipelineBenchHost.Build(connection, new Uri(sandboxUrl), suffix);
        var storage = services.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        using var phases = new PostingPhases();
        var delivered = await PipelineEndToEndBench.DrainAsync(
            storage.BatchQueue, services.GetRequiredService<PostPunchBatchHandler>(), phases, Consumers, CancellationToken.None);
        var gate = services.GetRequiredService<ClockSync.Storage.Limits.SharedFeishuCallGate>();
        Console.WriteLine(ResultPrefix + F($"{delivered} (slots reserved {gate.SlotsReserved}, unused {gate.SlotsUnused}; row writes {gate.RowWrites.Writes}, ETag conflicts {gate.RowWrites.Conflicts}; {phases.Describe()})"));
        return 0;
    }

    private static async Task<Run> RunOnceAsync(string connection, FeishuSandboxServer sandbox, int hosts, int punches, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        int batches;
        await using (var services = PipelineBenchHost.Build(connection, sandbox.BaseAddress, suffix))
        {
            var names = PipelineBenchHost.Names(services);
            await services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(ct);
            var blob = new BlobServiceClient(connection).GetBlobContainerClient(names.ExportsContainer).GetBlobClient($"hosts-{suffix}_attlog.dat");
            var file = Path.Combine(Path.GetTempPath(), $"clocksync-bench-{suffix}_attlog.dat");
            try
            {
                await AttLogExport.WriteAsync(file, punches, ct);
                await using (var content = File.OpenRead(file))
                {
                    await blob.UploadAsync(content, overwrite: true, ct);
                }
            }
            finally
            {
                File.Delete(file);
            }

            batches = (await services.GetRequiredService<IngestClockExportHandler>().HandleAsync(blob, ct)).BatchesEnqueued;
        }

        // Every run starts from an empty ledger, log and bucket; the ledger of each run is its own to check.
        sandbox.Reset();
        var children = Enumerable.Range(0, hosts).Select(_ => StartChild(connection, suffix, sandbox.BaseAddress)).ToList();
        var outputs = await Task.WhenAll(children.Select(async child =>
        {
            var output = await child.StandardOutput.ReadToEndAsync(ct);
            await child.WaitForExitAsync(ct);
            child.Dispose();
            return output;
        }));

        var requests = sandbox.Requests.Snapshot();
        var calls = requests.Where(request => request.Endpoint == SandboxEndpoints.BatchCreate).ToList();
        var accepted = calls.Where(request => request.AcceptedCount > 0).ToList();
        var seconds = accepted.Count == 0 ? double.NaN : (accepted.Max(request => request.Time) - calls.Min(request => request.Time)).TotalSeconds;
        var ledger = sandbox.Ledger.Snapshot();
        var distinct = ledger.Select(record => record.IdempotentId).Distinct(StringComparer.Ordinal).Count();
        var perProcess = outputs.Select(output => output.Split('\n').FirstOrDefault(line => line.StartsWith(ResultPrefix, StringComparison.Ordinal))?.Trim() ?? "no result").ToList();
        Console.WriteLine(F($"{hosts} host(s): {batches} batches, {calls.Count} calls in {seconds:F2} s; {string.Join(", ", perProcess)}"));
        return new Run(
            seconds,
            calls.Count,
            accepted.Count,
            calls.Count(request => request.Status == 429),
            requests.Count(request => request.Endpoint == SandboxEndpoints.Token),
            ledger.Count,
            ledger.Count == punches && distinct == punches,
            perProcess);
    }

    private static Process StartChild(string connection, string suffix, Uri sandbox)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        if (string.Equals(Path.GetFileNameWithoutExtension(start.FileName), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(MultiHostPostingBench).Assembly.Location);
        }

        start.ArgumentList.Add(PipelineEndToEndBench.Command);
        start.ArgumentList.Add(ChildFlag);
        start.ArgumentList.Add(suffix);
        start.ArgumentList.Add(sandbox.AbsoluteUri);
        start.Environment[IngestMemoryProbe.ConnectionVariable] = connection;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a posting process.");
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Run(double Seconds, int Calls, int Accepted, int Throttled, int Tokens, int Ledger, bool Complete, IReadOnlyList<string> PerProcess);
}
