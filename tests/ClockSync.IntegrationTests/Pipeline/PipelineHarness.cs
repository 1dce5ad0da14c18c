using System.Globalization;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The pipeline wired as the host wires it, against Azurite (unique names per test) and a Feishu sandbox.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PipelineHarness(
        ServiceProvider services, FeishuSandboxServer sandbox, ShiftedTimeProvider time, StorageOptions names, string connection, IReadOnlyDictionary<string, string?> settings,
        IConfigurationRoot configuration)
    {
        _services = services;
        Configuration = configuration;
        Settings = settings;
        Sandbox = sandbox;
        Time = time;
        Names = names;
        Exports = new BlobServiceClient(connection).GetBlobContainerClient(names.ExportsContainer);
        Reports = new BlobServiceClient(connection).GetBlobContainerClient(names.ReportsContainer);
        Queue = new QueueClient(connection, names.BatchQueue, StorageAccountClients.QueueOptions());
        FailedTable = new TableClient(connection, names.FailedBatchesTable);
    }

    public FeishuSandboxServer Sandbox { get; }

    /// <summary>The settings the pipeline was built from (the CLI tests run commands with the same).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ShiftedTimeProvider Time { get; }

    public StorageOptions Names { get; }

    public BlobContainerClient Exports { get; }

    public BlobContainerClient Reports { get; }

    public QueueClient Queue { get; }

    public TableClient FailedTable { get; }

    public IServiceProvider Services => _services;

    /// <summary>The configuration the pipeline reads; set a key and <c>Reload()</c> to change a setting at run time.</summary>
    public IConfigurationRoot Configuration { get; }

    public IngestClockExportHandler Ingest => _services.GetRequiredService<IngestClockExportHandler>();

    public PostPunchBatchHandler Post => _services.GetRequiredService<PostPunchBatchHandler>();

    public RetryFailedBatchesHandler Retry => _services.GetRequiredService<RetryFailedBatchesHandler>();

    public ImportStore Imports => _services.GetRequiredService<ImportStore>();

    public FailedBatchStore Failures => _services.GetRequiredService<FailedBatchStore>();

    public static async Task<PipelineHarness> StartAsync(
        AzuriteFixture azurite,
        SandboxSettings? sandboxSettings = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        Action<IServiceCollection, IConfiguration>? servicesWithConfiguration = null)
    {
        var sandbox = await FeishuSandboxServer.StartAsync((sandboxSettings ?? new SandboxSettings()) with { RateLimit = SandboxRateLimit.Off });
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var names = new StorageOptions
        {
            ExportsContainer = "exp" + suffix,
            ReportsContainer = "rep" + suffix,
            ClaimCheckContainer = "chk" + suffix,
            BatchQueue = "q" + suffix,
            ImportsTable = "Imp" + suffix,
            FailedBatchesTable = "Fail" + suffix,
            LedgerTable = "Led" + suffix,
            CallCountsTable = "Calls" + suffix,
            UnknownUsersTable = "Unk" + suffix,
            NotificationsTable = "Note" + suffix,
        };
        var values = new Dictionary<string, string?>
        {
            ["ClockSyncStorage"] = azurite.ConnectionString,
            ["ClockSync:Storage:ExportsContainer"] = names.ExportsContainer,
            ["ClockSync:Storage:ReportsContainer"] = names.ReportsContainer,
            ["ClockSync:Storage:ClaimCheckContainer"] = names.ClaimCheckContainer,
            ["ClockSync:Storage:BatchQueue"] = names.BatchQueue,
            ["ClockSync:Storage:ImportsTable"] = names.ImportsTable,
            ["ClockSync:Storage:FailedBatchesTable"] = names.FailedBatchesTable,
            ["ClockSync:Storage:LedgerTable"] = names.LedgerTable,
            ["ClockSync:Storage:CallCountsTable"] = names.CallCountsTable,
            ["ClockSync:Storage:UnknownUsersTable"] = names.UnknownUsersTable,
            ["ClockSync:Storage:NotificationsTable"] = names.NotificationsTable,
            ["ClockSync:Feishu:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
            ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
            ["ClockSync:Feishu:AppId"] = SandboxSettings.DefaultAppId,
            ["ClockSync:Feishu:AppSecret"] = SandboxSettings.DefaultAppSecret,
            ["ClockSync:Feishu:RequestsPerSecond"] = "1000",
            ["ClockSync:Feishu:RateLimitBurst"] = "1000",
            ["ClockSync:Feishu:HttpTimeout"] = "00:00:02",
            ["ClockSync:Feishu:TransportRetryCount"] = "0",
            ["ClockSync:Punches:UnmappedUsers"] = "PassThrough",
            ["ClockSync:Retry:MaxAttempts"] = "4",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new ShiftedTimeProvider();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddSingleton(new RetryBackoff(configuration.GetSection(RetryOptions.SectionName).Get<RetryOptions>() ?? new RetryOptions(), new Random(7)));
        services?.Invoke(collection);
        servicesWithConfiguration?.Invoke(collection, configuration);
        collection.AddClockSyncPipeline(configuration);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new PipelineHarness(provider, sandbox, time, names, azurite.ConnectionString, values, configuration);
    }

    /// <summary>A harness whose queue and table clients carry <paramref name="queue"/> and <paramref name="tables"/> (a crash, a tap), per call.</summary>
    public static Task<PipelineHarness> StartWithPoliciesAsync(
        AzuriteFixture azurite, HttpPipelinePolicy? queue = null, HttpPipelinePolicy? tables = null, IDictionary<string, string?>? settings = null) =>
        StartAsync(azurite, settings: settings, services: collection =>
        {
            var queueOptions = StorageAccountClients.QueueOptions();
            var tableOptions = new TableClientOptions();
            if (queue is not null)
            {
                queueOptions.AddPolicy(queue, Azure.Core.HttpPipelinePosition.PerCall);
            }

            if (tables is not null)
            {
                tableOptions.AddPolicy(tables, Azure.Core.HttpPipelinePosition.PerCall);
            }

            collection.AddSingleton(new StorageAccountClients(
                new BlobServiceClient(azurite.ConnectionString),
                new QueueServiceClient(azurite.ConnectionString, queueOptions),
                new TableServiceClient(azurite.ConnectionString, tableOptions)));
        });

    public static string AttLog(params (string User, DateTime Time)[] punches)
    {
        var text = new StringBuilder();
        foreach (var (user, time) in punches)
        {
            text.Append(CultureInfo.InvariantCulture, $"{user,9}\t{time:yyyy-MM-dd HH:mm:ss}\t1\t0\t1\t0\r\n");
        }

        return text.ToString();
    }

    /// <summary>Distinct punches: users u1..uN, one per minute from 2025-06-02 08:00.</summary>
    public static (string User, DateTime Time)[] Punches(int count, int users = 7, int startMinute = 0) =>
        Enumerable.Range(startMinute, count)
            .Select(i => ((i % users + 1).ToString(CultureInfo.InvariantCulture), new DateTime(2025, 6, 2, 8, 0, 0).AddMinutes(i)))
            .ToArray();

    public async Task<IngestResult> UploadAndIngestAsync(string name, string content) =>
        await UploadAndIngestAsync(name, Encoding.UTF8.GetBytes(content));

    public async Task<IngestResult> UploadAndIngestAsync(string name, byte[] content)
    {
        await Exports.CreateIfNotExistsAsync();
        var blob = Exports.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return await Ingest.HandleAsync(blob, CancellationToken.None);
    }

    /// <summary>Delivers every queued message to the post handler (as the trigger would) until the queue is empty.</summary>
    public async Task<int> DrainQueueAsync()
    {
        var delivered = 0;
        while (true)
        {
            var messages = (await Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (messages.Length == 0)
            {
                return delivered;
            }

            foreach (var message in messages)
            {
                await Post.HandleAsync(message.MessageText, message.DequeueCount, CancellationToken.None);
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                delivered++;
            }
        }
    }

    /// <summary>Every message on the queue, received (invisible for five minutes) and not posted.</summary>
    public async Task<List<QueueMessage>> ReceiveAllAsync()
    {
        var all = new List<QueueMessage>();
        while (true)
        {
            var messages = (await Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (messages.Length == 0)
            {
                return all;
            }

            all.AddRange(messages);
        }
    }

    /// <summary>Moves the clock past every due time and runs the retry timer until nothing is pending.</summary>
    public async Task<List<RetryRunSummary>> RetryUntilSettledAsync(int maxRuns = 20)
    {
        var runs = new List<RetryRunSummary>();
        for (var i = 0; i < maxRuns; i++)
        {
            Time.Advance(TimeSpan.FromHours(2));
            var summary = await Retry.HandleAsync(CancellationToken.None);
            runs.Add(summary);
            if (summary.Claimed == 0)
            {
                break;
            }
        }

        return runs;
    }

    public async Task<ImportReport> ReportAsync(string name) =>
        ImportReport.FromJson(await _services.GetRequiredService<ImportReportStore>().ReadAsync(name, CancellationToken.None)
            ?? throw new InvalidOperationException($"No import report for {name}."));

    public async Task<List<FailedBatchEntity>> FailedRowsAsync()
    {
        var rows = new List<FailedBatchEntity>();
        await foreach (var row in FailedTable.QueryAsync<FailedBatchEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Every idempotent id in the sandbox ledger; asserts none is there twice.</summary>
    public HashSet<string> LedgerIds()
    {
        var ids = Sandbox.Ledger.Snapshot().Select(record => record.IdempotentId!).ToList();
        var set = ids.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ids.Count, set.Count);
        return set;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
