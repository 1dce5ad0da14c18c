using System.Diagnostics;
using System.Globalization;
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
/// What a file's row order costs: the same punches (<c>--users</c> × <c>--days</c> × 2) exported in time order and
/// sorted by person, each uploaded into a pipeline of its own (queue, tables, Feishu sandbox at 50 requests/s) on one
/// Azurite, ingested while the consumers post, as a Functions host runs both. Per order: ledger requests counted at the
/// table service, the ingest's time, and upload → ledger complete; then person against time (target ≤ 1.2, for the time to the ledger and for the table requests) and ledger
/// reads against the days touched (target ≤ 3 per day, whatever the order; claims are counted beside them).
/// <c>pipeline-e2e --users 500 --days 365 [--order time|person|both] [--consumers N]</c>. Prints PASS/MISS and exits 0.
/// </summary>
internal static class ExportOrderBench
{
    public const string UsersFlag = "--users";
    public const string DaysFlag = "--days";
    public const string OrderFlag = "--order";
    public const string ConsumersFlag = "--consumers";

    private const double Limit = 50;
    private const int WarmUpPunches = 2_000;

    public static bool Handles(string[] args) => args.Any(arg => arg is UsersFlag or DaysFlag or OrderFlag);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var users = IntOption(args, UsersFlag, 500);
        var days = IntOption(args, DaysFlag, 365);
        var consumers = IntOption(args, ConsumersFlag, 12);
        var orderText = Option(args, OrderFlag) ?? "both";
        ExportOrder[] orders = orderText switch
        {
            "both" => [ExportOrder.Time, ExportOrder.Person],
            "time" => [ExportOrder.Time],
            "person" => [ExportOrder.Person],
            _ => throw new ArgumentException($"{OrderFlag} takes time, person or both, not '{orderText}'.", nameof(args)),
        };

        await using var azurite = await AzuriteProcess.StartAsync(toolsRoot: null, progress: Console.WriteLine, ct);
        var results = new List<OrderRun>();
        foreach (var order in orders)
        {
            var run = await RunOrderAsync(azurite.ConnectionString, users, days, order, consumers, ct);
            Console.WriteLine(F($"{order}: {run}"));
            results.Add(run);
        }

        var punches = users * days * 2;
        Console.WriteLine();
        Console.WriteLine(F($"pipeline-e2e --order: {users} users x {days} days x 2 = {punches} punches ({(punches + 49) / 50} batches), sandbox and client at {Limit}/s, {consumers} consumers, {Environment.ProcessorCount} cores, tiered compilation off"));
        foreach (var run in results)
        {
            var floor = run.Batches / Limit;
            Row($"{run.Order}: ingest (blob -> all enqueued)", F($"{run.IngestSeconds:F2} s, {run.Batches} batches"), "-", null);
            Row($"{run.Order}: upload -> ledger complete", F($"{run.ToLedgerSeconds:F2} s ({run.ToLedgerSeconds / floor:F2}x floor {floor:F0} s)"), "-", null);
            Row($"{run.Order}: ledger reads (ingest)", F($"{run.Ingest.LedgerReads} for {run.DaysTouched} days touched ({(double)run.Ingest.LedgerReads / Math.Max(1, run.DaysTouched):F2} per day)"), "<= 3/day", run.Ingest.LedgerReads <= 3 * run.DaysTouched);
            Row($"{run.Order}: claims (transactions, ingest)", F($"{run.Ingest.Transactions}"), "-", null);
            Row($"{run.Order}: other table requests (ingest)", F($"{run.Ingest.Other}"), "-", null);
            Row($"{run.Order}: table requests while posting", F($"{run.Posting.Total} ({run.Posting.LedgerReads} ledger reads, {run.Posting.Transactions} transactions)"), "-", null);
            Row($"{run.Order}: sandbox ledger", F($"{run.Flows} flows, {run.Distinct} distinct (expected {run.Expected})"), "all, once", run.Complete);
            Row($"{run.Order}: 429 responses, token requests", F($"{run.Throttled}, {run.Tokens}"), "0, 1", run.Throttled == 0 && run.Tokens == 1);
            Row($"{run.Order}: peak working set (bench process)", F($"{run.PeakWorkingSetBytes / 1048576.0:F0} MiB"), "-", null);
        }

        if (results is [var time, var person])
        {
            var ratio = person.ToLedgerSeconds / time.ToLedgerSeconds;
            var requests = (double)person.Ingest.Total / Math.Max(1, time.Ingest.Total);
            Row("person / time: upload -> ledger complete", F($"{ratio:F2}"), "<= 1.20", ratio <= 1.2);
            Row("person / time: ingest", F($"{person.IngestSeconds / time.IngestSeconds:F2}"), "-", null);
            Row("person / time: table requests (ingest)", F($"{requests:F2} ({person.Ingest.Total} / {time.Ingest.Total})"), "<= 1.20", requests <= 1.2);
        }

        return 0;
    }

    private static async Task<OrderRun> RunOrderAsync(string connection, int users, int days, ExportOrder order, int consumers, CancellationToken ct)
    {
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(Limit) }, ct);
        var suffix = Guid.NewGuid().ToString("N")[..10];

        // The ingest and the consumers get clients of their own on the same queue and tables, so each side's table requests
        // are counted apart while both run at once.
        var ingestRequests = new TableRequestCounter("Led" + suffix);
        var postingRequests = new TableRequestCounter("Led" + suffix);
        await using var ingestServices = PipelineBenchHost.Build(connection, feishuBaseUrl: null, suffix, ingestRequests);
        await using var postServices = PipelineBenchHost.Build(connection, sandbox.BaseAddress, suffix, postingRequests);
        var names = PipelineBenchHost.Names(ingestServices);
        var ingest = ingestServices.GetRequiredService<IngestClockExportHandler>();
        var post = postServices.GetRequiredService<PostPunchBatchHandler>();
        var exports = new BlobServiceClient(connection).GetBlobContainerClient(names.ExportsContainer);
        var queue = new QueueClient(connection, names.BatchQueue, StorageAccountClients.QueueOptions());
        await ingestServices.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(ct);
        using var phases = new PostingPhases();

        // Connections, the tenant token and first compiles, through the whole pipeline, on days the export never reaches.
        var warmUp = exports.GetBlobClient($"warm-up-{suffix}_attlog.dat");
        await warmUp.UploadAsync(BinaryData.FromString(AttLogExport.WarmUp(WarmUpPunches)), overwrite: true, ct);
        await ingest.HandleAsync(warmUp, ct);
        await PipelineEndToEndBench.DrainAsync(queue, post, phases, consumers, ct);

        var file = Path.Combine(Path.GetTempPath(), $"clocksync-bench-{Guid.NewGuid():N}_attlog.dat");
        try
        {
            await AttLogExport.WriteAsync(file, users, days, order, ct);
            var blob = exports.GetBlobClient($"order-{order.ToString().ToLowerInvariant()}-{suffix}_attlog.dat");
            var requestsBefore = sandbox.Requests.Count;
            var ingestBefore = ingestRequests.Snapshot();
            var postingBefore = postingRequests.Snapshot();
            var uploadStart = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            await using (var content = File.OpenRead(file))
            {
                await blob.UploadAsync(content, overwrite: true, ct);
            }

            // The ingest and the consumers run at once, as a host runs the blob trigger and the queue trigger.
            var ingesting = Task.Run(async () =>
            {
                var started = watch.Elapsed;
                var result = await ingest.HandleAsync(blob, ct);
                return (result.BatchesEnqueued, Seconds: (watch.Elapsed - started).TotalSeconds);
            }, ct);
            var delivered = 0;
            while (true)
            {
                delivered += await PipelineEndToEndBench.DrainAsync(queue, post, phases, consumers, ct);
                if (ingesting.IsCompleted)
                {
                    // Whatever the ingest sent last.
                    delivered += await PipelineEndToEndBench.DrainAsync(queue, post, phases, consumers, ct);
                    break;
                }

                // The queue is empty and the ingest still reading: look again shortly, as the queue listener polls.
                await Task.WhenAny(ingesting, Task.Delay(TimeSpan.FromMilliseconds(200), ct));
            }

            var (batches, ingestSeconds) = await ingesting;
            using var process = Process.GetCurrentProcess();
            var requests = sandbox.Requests.Snapshot();
            var lastAccepted = requests.Skip(requestsBefore)
                .Where(request => request.Endpoint == SandboxEndpoints.BatchCreate && request.AcceptedCount > 0)
                .Select(request => request.Time).DefaultIfEmpty(uploadStart).Max();
            var ledger = sandbox.Ledger.Snapshot();
            var expected = users * days * 2 + WarmUpPunches;
            var distinct = ledger.Select(record => record.IdempotentId).Distinct(StringComparer.Ordinal).Count();
            return new OrderRun(order, batches, delivered, ingestSeconds, (lastAccepted - uploadStart).TotalSeconds, days,
                ingestRequests.Snapshot() - ingestBefore, postingRequests.Snapshot() - postingBefore,
                ledger.Count, distinct, expected, requests.Count(request => request.Status == 429),
                requests.Count(request => request.Endpoint == SandboxEndpoints.Token), process.PeakWorkingSet64);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? Option(string[] args, string flag)
    {
        var at = Array.IndexOf(args, flag);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int IntOption(string[] args, string flag, int fallback) =>
        Option(args, flag) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static void Row(string name, string value, string target, bool? pass) =>
        Console.WriteLine($"  {name,-45} {value,-70} {target,-10} {(pass is null ? string.Empty : pass.Value ? "PASS" : "MISS")}");

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record OrderRun(
        ExportOrder Order, int Batches, int Delivered, double IngestSeconds, double ToLedgerSeconds, int DaysTouched,
        TableRequests Ingest, TableRequests Posting, int Flows, int Distinct, int Expected, int Throttled, int Tokens, long PeakWorkingSetBytes)
    {
        public bool Complete => Flows == Expected && Distinct == Expected;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Batches} batches ({Delivered} delivered), ingest {IngestSeconds:F2} s, upload -> ledger complete {ToLedgerSeconds:F2} s, ingest table requests {Ingest}, ledger {Flows}/{Expected}");
    }
}
