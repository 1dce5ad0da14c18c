using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ClockSync.Cli.Emulators;
using ClockSync.FeishuSandbox;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// The unknown-users row: 20,000 punches from 200 users of whom 5 are unknown to the sandbox tenant, ingested on a real
/// Azurite and posted by 12 concurrent deliveries (host.json's 8 + 4), once per reading of an unknown user (partial
/// success; whole request 1220004). Figure: <c>batch_create</c> calls per batch, target at most 1.03; every known
/// user's punch in the ledger once, every unknown user's punch held. A measurement: prints PASS/MISS and exits 0.
/// <c>dotnet run -c Release --project benchmarks/ClockSync.Benchmarks -- unknown-users [punches] [consumers]</c>
/// </summary>
public static class UnknownUsersBench
{
    public const string Command = "unknown-users";

    private const int Users = 200;
    private const int Unknown = 5;
    private const double Target = 1.03;

    public static async Task<int> RunAsync(string[] args)
    {
        var punches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var consumers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12;
        var ct = CancellationToken.None;
        await using var azurite = await AzuriteProcess.StartAsync(toolsRoot: null, progress: Console.WriteLine, ct);
        var export = Export(punches);
        foreach (var mode in new[] { UnknownUserMode.PartialSuccess, UnknownUserMode.WholeRequest1220004 })
        {
            await using var sandbox = await FeishuSandboxServer.StartAsync(
                new SandboxSettings
                {
                    RateLimit = SandboxRateLimit.Off,
                    KnownUsers = SandboxUsers.Same(Enumerable.Range(1, Users - Unknown).Select(user => user.ToString(CultureInfo.InvariantCulture))),
                    Behaviour = new SandboxBehaviour { UnknownUserMode = mode },
                }, ct);
            await using var services = PipelineBenchHost.Build(azurite.ConnectionString, sandbox.BaseAddress, suffix: Guid.NewGuid().ToString("N")[..10]);
            var names = PipelineBenchHost.Names(services);
            await services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(ct);
            var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(names.ExportsContainer).GetBlobClient("unknown-users_attlog.dat");
            await blob.UploadAsync(BinaryData.FromString(export), overwrite: true, ct);
            var ingested = await services.GetRequiredService<IngestClockExportHandler>().HandleAsync(blob, ct);
            var post = services.GetRequiredService<PostPunchBatchHandler>();
            var queue = new QueueClient(azurite.ConnectionString, names.BatchQueue, StorageAccountClients.QueueOptions());
            await DrainAsync(queue, post, consumers, ct);

            var calls = sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate);
            var held = (await services.GetRequiredService<UnknownUserStore>().ListHeldAsync(null, ct)).Count;
            var perBatch = (double)calls / ingested.BatchesEnqueued;
            var expectedHeld = punches / Users * Unknown;
            var ok = perBatch <= Target && sandbox.Ledger.Count == punches - expectedHeld && held == expectedHeld;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                unknown-users ({mode}): {punches} punches, {Users} users of whom {Unknown} unknown, {consumers} concurrent deliveries
                  batches                {ingested.BatchesEnqueued}
                  batch_create calls     {calls}
                  calls per batch        {perBatch:F3} (target <= {Target})
                  ledger                 {sandbox.Ledger.Count} flows (expected {punches - expectedHeld})
                  held                   {held} punches (expected {expectedHeld})
                  result                 {(ok ? "PASS" : "MISS")}
                """));
        }

        return 0;
    }

    /// <summary>Users 1..200 punching in turn, one minute apart: every fourth batch of 50 holds all five unknown users.</summary>
    private static string Export(int punches)
    {
        var text = new StringBuilder(punches * 40);
        var start = new DateTime(2025, 6, 2, 8, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < punches; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i % Users + 1,9}\t{start.AddMinutes(i):yyyy-MM-dd HH:mm:ss}\t1\t0\t1\t0\r\n");
        }

        return text.ToString();
    }

    /// <summary>Up to <paramref name="consumers"/> deliveries at once until the queue is empty, as the queue trigger runs them.</summary>
    private static async Task DrainAsync(QueueClient queue, PostPunchBatchHandler post, int consumers, CancellationToken ct)
    {
        var inFlight = new List<Task>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(Math.Min(32, consumers), TimeSpan.FromMinutes(5), ct)).Value;
            if (messages.Length == 0 && inFlight.Count == 0)
            {
                return;
            }

            foreach (var message in messages)
            {
                inFlight.Add(Task.Run(async () =>
                {
                    await post.HandleAsync(message.MessageText, message.DequeueCount, ct);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }, ct));
            }

            while (inFlight.Count > 0 && (inFlight.Count >= consumers || messages.Length == 0))
            {
                var done = await Task.WhenAny(inFlight);
                await done;
                inFlight.Remove(done);
            }
        }
    }
}
