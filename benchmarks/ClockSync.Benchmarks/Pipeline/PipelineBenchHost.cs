using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ClockSync.FeishuSandbox;
using ClockSync.Pipeline;
using ClockSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// The pipeline wired as the Functions host wires it (<see cref="PipelineServiceCollectionExtensions.AddClockSyncPipeline"/>),
/// with production defaults for the Feishu client (50 requests/s, burst 1) and storage (enqueue parallelism), against
/// a local Azurite and Feishu sandbox. <paramref name="suffix"/> gives a run its own queue and tables.
/// </summary>
internal static class PipelineBenchHost
{
    public static ServiceProvider Build(string storageConnection, Uri? feishuBaseUrl, string? suffix = null, HttpPipelinePolicy? tablePolicy = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ClockSyncStorage"] = storageConnection,
            ["ClockSync:Feishu:BaseUrl"] = (feishuBaseUrl ?? new Uri("http://127.0.0.1:9/")).AbsoluteUri,
            ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
            ["ClockSync:Feishu:AppId"] = SandboxSettings.DefaultAppId,
            ["ClockSync:Feishu:AppSecret"] = SandboxSettings.DefaultAppSecret,
        };
        if (suffix is not null)
        {
            values["ClockSync:Storage:ReportsContainer"] = "rep" + suffix;
            values["ClockSync:Storage:ClaimCheckContainer"] = "chk" + suffix;
            values["ClockSync:Storage:BatchQueue"] = "q" + suffix;
            values["ClockSync:Storage:ImportsTable"] = "Imp" + suffix;
            values["ClockSync:Storage:FailedBatchesTable"] = "Fail" + suffix;
            values["ClockSync:Storage:LedgerTable"] = "Led" + suffix;
            values["ClockSync:Storage:UnknownUsersTable"] = "Unk" + suffix;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        if (tablePolicy is not null)
        {
            // Registered first, so AddClockSyncPipeline's TryAdd keeps these clients, whose table pipeline counts requests.
            var tableOptions = new TableClientOptions();
            tableOptions.AddPolicy(tablePolicy, HttpPipelinePosition.PerRetry);
            services.AddSingleton(new StorageAccountClients(
                new BlobServiceClient(storageConnection),
                new QueueServiceClient(storageConnection, StorageAccountClients.QueueOptions()),
                new TableServiceClient(storageConnection, tableOptions)));
        }

        return services.AddClockSyncPipeline(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public static StorageOptions Names(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}
