using System.Diagnostics;
using System.Globalization;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Flows;
using ClockSync.FeishuSandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Benchmarks.Feishu;

/// <summary>
/// Posts a queue burst of full batches through the client's limiter (production defaults: 50/s, no burst) to a
/// sandbox that enforces 50 requests/s, and checks the figures: sustained throughput at least 95% of the
/// limit, no 429, exactly one token request.
/// <c>dotnet run -c Release --project benchmarks/ClockSync.Benchmarks -- feishu-throughput [batches] [workers]</c>
/// </summary>
public static class FeishuThroughputBench
{
    public const string Command = "feishu-throughput";

    private const double Limit = 50;
    private const int RecordsPerBatch = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var batches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;

        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(Limit) });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClockSync:Feishu:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
            ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
            ["ClockSync:Feishu:AppId"] = SandboxSettings.DefaultAppId,
            ["ClockSync:Feishu:AppSecret"] = SandboxSettings.DefaultAppSecret,
            ["ClockSync:Feishu:RequestsPerSecond"] = Limit.ToString(CultureInfo.InvariantCulture),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddFeishuClient(configuration).BuildServiceProvider();
        var client = services.GetRequiredService<IFeishuAttendanceClient>();
        var counter = services.GetRequiredService<IFeishuCallCounter>();

        var work = Enumerable.Range(0, batches).Select(Batch).ToList();
        var outcomes = new FeishuBatchOutcome[batches];

        // Warm-up: the first batch pays for JIT, the token and the first connection; it is one of the batches
        // and its token request is the one the figures allow.
        outcomes[0] = await client.BatchCreateAsync(work[0], CancellationToken.None);
        var next = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < batches; i = Interlocked.Increment(ref next))
            {
                outcomes[i] = await client.BatchCreateAsync(work[i], CancellationToken.None);
            }
        }));
        stopwatch.Stop();

        var requests = sandbox.Requests.Snapshot();
        var burst = requests.Where(request => request.Endpoint == SandboxEndpoints.BatchCreate).Skip(1).ToList();
        var throttled = requests.Count(request => request.Status == 429);
        var tokenRequests = requests.Count(request => request.Endpoint == SandboxEndpoints.Token);
        var accepted = outcomes.Count(outcome => outcome is FeishuBatchOutcome.Accepted);

        // Sustained rate as the server saw it: arrivals after the first of the burst over the time they span.
        var sustained = (burst.Count - 1) / (burst[^1].Time - burst[0].Time).TotalSeconds;
        var clientSide = burst.Count / stopwatch.Elapsed.TotalSeconds;
        // The busiest second the server saw, against a sandbox bucket that would have refused anything over it.
        var peakSecond = burst.Select(request => burst.Count(other => other.Time >= request.Time && other.Time < request.Time.AddSeconds(1))).Max();

        var ok = sustained >= 0.95 * Limit && throttled == 0 && tokenRequests == 1 && accepted == batches
            && sandbox.Ledger.Count == batches * RecordsPerBatch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            feishu-throughput: {batches} batches x {RecordsPerBatch} records, {workers} workers, limit {Limit}/s (client and sandbox)
              burst of {burst.Count} batches after one warm-up batch, elapsed {stopwatch.Elapsed.TotalSeconds:F2} s
              sustained throughput    {sustained:F2} requests/s at the server ({sustained / Limit:P1} of the limit; target >= 95%)
              client-side throughput  {clientSide:F2} requests/s (burst size / elapsed)
              busiest 1 s window      {peakSecond} requests
              429 responses           {throttled} (target 0)
              token requests          {tokenRequests} (target 1); counted by the client: {counter.Snapshot().Where(t => t.Kind == FeishuCallKind.TenantToken).Sum(t => t.Count)}
              batch_create requests   {burst.Count + 1}; accepted outcomes {accepted}; ledger {sandbox.Ledger.Count} flows
              result                  {(ok ? "PASS" : "FAIL")}
            """));
        return ok ? 0 : 1;
    }

    private static List<FeishuFlowRecord> Batch(int batch) =>
        Enumerable.Range(0, RecordsPerBatch).Select(i =>
        {
            var user = "u" + (i + 1).ToString(CultureInfo.InvariantCulture);
            var key = string.Create(CultureInfo.InvariantCulture, $"bench-{batch}-{i}");
            return new FeishuFlowRecord(user, user, "Gate 1", 1_748_851_200 + batch, "bench", key, key);
        }).ToList();
}
