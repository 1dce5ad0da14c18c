using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Http;
using ClockSync.Notify;
using ClockSync.Pipeline.Failures;
using ClockSync.Pipeline.Ingest;
using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.CallCounts;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Limits;
using ClockSync.Storage.Pause;
using ClockSync.Storage.Reports;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Everything the three handlers need: validated options (ValidateOnStart), the Azure storage clients, the Feishu
    /// client with its app credentials, the stores and the handlers. The Functions worker and the local host both call this.
    /// Registrations use TryAdd, so a host (or a test) may register its own <see cref="TimeProvider"/>,
    /// <see cref="StorageAccountClients"/>, <see cref="RetryBackoff"/> or secrets first.
    /// </summary>
    public static IServiceCollection AddClockSyncPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // The triggers read flat copies of three names (TriggerSettings); a copy that disagrees stops the start.
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations()
            .Validate(
                options => TriggerSettings.AgreesWith(configuration, TriggerSettings.ExportsContainer, options.ExportsContainer),
                $"{TriggerSettings.ExportsContainer} (the blob trigger's container) must equal ClockSync__Storage__ExportsContainer.")
            .Validate(
                options => TriggerSettings.AgreesWith(configuration, TriggerSettings.BatchQueue, options.BatchQueue),
                $"{TriggerSettings.BatchQueue} (the queue trigger's queue) must equal ClockSync__Storage__BatchQueue.")
            .ValidateOnStart();
        services.AddOptions<RetryOptions>().Bind(configuration.GetSection(RetryOptions.SectionName)).ValidateDataAnnotations()
            .Validate(static options => options.MaxDelay >= options.BaseDelay, "ClockSync:Retry:MaxDelay must not be shorter than BaseDelay.")
            .Validate(
                options => TriggerSettings.AgreesWith(configuration, TriggerSettings.RetrySchedule, options.Schedule),
                $"{TriggerSettings.RetrySchedule} (the retry timer's schedule) must equal ClockSync__Retry__Schedule.")
            .ValidateOnStart();
        services.AddOptions<PunchOptions>().Bind(configuration.GetSection(PunchOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PunchOptions>, PunchOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => StorageAccountClients.Create(
            configuration, provider.GetRequiredService<IOptions<StorageOptions>>().Value.Connection));

        // Persisted to ClockSync:Storage:CallCountsTable; the post handler flushes it when due, the retry timer every run.
        services.TryAddSingleton<TableFeishuCallCounter>();
        services.TryAddSingleton<IFeishuCallCounter>(provider => provider.GetRequiredService<TableFeishuCallCounter>());
        // One rate limit and one monthly call budget for every instance, reserved through the storage account.
        services.TryAddSingleton<SharedFeishuCallGate>();
        services.TryAddSingleton<IFeishuCallGate>(provider => provider.GetRequiredService<SharedFeishuCallGate>());
        services.AddFeishuClient(configuration);

        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<PipelineStorage>();
        services.TryAddSingleton<ImportStore>();
        services.TryAddSingleton<ImportReportStore>();
        services.TryAddSingleton<FailedBatchStore>();
        services.TryAddSingleton<PostingPause>();
        services.TryAddSingleton<UnknownUserStore>();
        services.TryAddSingleton<FailedBatchPolicy>();
        services.TryAddSingleton<HeldPunchReleaser>();
        services.TryAddSingleton<BatchMessenger>();
        services.TryAddSingleton(provider => new RetryBackoff(provider.GetRequiredService<IOptions<RetryOptions>>().Value));
        services.TryAddSingleton(provider => new IdMappingSource(provider.GetRequiredService<PipelineStorage>(), configuration));
        services.TryAddSingleton<BatchPoster>();
        services.TryAddSingleton<BatchOutcomeRecorder>();
        services.AddClockSyncNotifications(configuration);
        services.TryAddSingleton<IngestClockExportHandler>();
        services.TryAddSingleton<PostPunchBatchHandler>();
        services.TryAddSingleton<RetryFailedBatchesHandler>();
        services.AddLogging();
        return services;
    }
}
