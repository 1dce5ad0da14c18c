using Azure.Storage.Queues;
using ClockSync.Cli.Configuration;
using ClockSync.Pipeline;
using ClockSync.Storage;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClockSync.Cli.Hosting;

/// <summary>
/// <c>IngestClockExport</c>, <c>PostPunchBatch</c> and <c>RetryFailedBatches</c> on the Azure WebJobs SDK — the trigger
/// engine and storage extensions the Functions host loads — calling the handlers the isolated worker calls.
/// </summary>
internal static class LocalHostBuilder
{
    /// <summary>The connection name in the trigger attributes (a constant there, as in the worker).</summary>
    public const string ConnectionName = "ClockSyncStorage";

    public static IConfigurationRoot BuildConfiguration(LocalHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ConfigurationBuilder();
        builder.AddConfiguration(options.ReadUserSettings
            ? LocalSettings.Load(options.CurrentDirectory, options.Overrides)
            : new ConfigurationBuilder().AddInMemoryCollection(options.Overrides).Build());
        var configuration = builder.Build();

        // The trigger attributes read flat copies of three names (TriggerSettings). Locally they follow the pipeline's
        // own settings (or its defaults) unless set, so `run` listens where the handlers send.
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TriggerSettings.ExportsContainer] = configuration[TriggerSettings.ExportsContainer]
                ?? configuration["ClockSync:Storage:ExportsContainer"] ?? new StorageOptions().ExportsContainer,
            [TriggerSettings.BatchQueue] = configuration[TriggerSettings.BatchQueue]
                ?? configuration["ClockSync:Storage:BatchQueue"] ?? new StorageOptions().BatchQueue,
            [TriggerSettings.RetrySchedule] = configuration[TriggerSettings.RetrySchedule]
                ?? configuration["ClockSync:Retry:Schedule"] ?? new RetryOptions().Schedule,
        });
        configuration = builder.Build();

        // WebJobs keeps blob receipts and timer/singleton locks in AzureWebJobsStorage; locally the data account will do.
        if (string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]) && FindConnection(configuration) is { } connection)
        {
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection });
            configuration = builder.Build();
        }

        return configuration;
    }

    /// <summary>The storage connection string, from <c>ClockSyncStorage</c> or <c>ConnectionStrings:ClockSyncStorage</c>.</summary>
    public static string? FindConnection(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[ConnectionName];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration.GetConnectionString(ConnectionName);
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>True when the connection is a string or an identity-based section (<c>ClockSyncStorage:blobServiceUri</c>…).</summary>
    public static bool HasConnection(IConfiguration configuration) =>
        FindConnection(configuration) is not null || configuration.GetSection(ConnectionName).GetChildren().Any();

    public static IHost Build(IConfigurationRoot configuration, LocalHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        return new HostBuilder()
            .ConfigureAppConfiguration(builder => builder.AddConfiguration(configuration))
            .ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(options.MinimumLogLevel);
                logging.AddFilter("Azure.Core", LogLevel.Warning);
                logging.AddProvider(new LocalConsoleLoggerProvider(options.LogWriter ?? Console.Out, options.MinimumLogLevel));
            })
            .ConfigureWebJobs(webJobs =>
            {
                webJobs.UseHostId("clocksync-local");
                webJobs.AddAzureStorageCoreServices();
                webJobs.AddAzureStorageBlobs(blobs => blobs.MaxDegreeOfParallelism = HostQueueSettings.BlobMaxDegreeOfParallelism);
                webJobs.AddAzureStorageQueues(queues =>
                {
                    queues.BatchSize = HostQueueSettings.BatchSize;
                    queues.NewBatchThreshold = HostQueueSettings.NewBatchThreshold;
                    queues.MaxDequeueCount = HostQueueSettings.MaxDequeueCount;
                    queues.VisibilityTimeout = HostQueueSettings.VisibilityTimeout;
                    queues.MaxPollingInterval = HostQueueSettings.MaxPollingInterval;
                    queues.MessageEncoding = QueueMessageEncoding.Base64;
                });
                webJobs.AddTimers();
            })
            .ConfigureServices((context, services) =>
            {
                services.AddSingleton<ITypeLocator>(new JobTypeLocator(LocalFunctionNames.JobTypes));
                services.AddSingleton<IHostLifetime, CommandLifetime>();
                options.Services?.Invoke(services);
                services.AddClockSyncPipeline(context.Configuration);
            })
            .Build();
    }
}
