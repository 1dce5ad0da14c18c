// Builds the worker's service provider the way Program.cs does, from the values of local.settings.sample.json, with
// options validated at start, and resolves the three handlers and the trigger classes. No storage, vault or Feishu
// call is made: resolving only constructs clients.
using ClockSync.Feishu.Configuration;
using ClockSync.Functions.Telemetry;
using ClockSync.Functions.Triggers;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.Functions.Tests;

public sealed class HostWiringTests
{
    [Fact]
    public async Task The_sample_settings_give_a_host_whose_options_validate_and_whose_triggers_resolve()
    {
        var configuration = SampleSettings.Configuration();
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddClockSyncPipeline(configuration);
        Assert.False(services.AddClockSyncTelemetry(configuration)); // no connection string in the sample
        services.AddTransient<IngestClockExport>().AddTransient<PostPunchBatch>().AddTransient<RetryFailedBatches>();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();

        // ValidateOnStart registers its check here; run it as the host does at start.
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<IngestClockExportHandler>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PostPunchBatchHandler>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<RetryFailedBatchesHandler>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<IngestClockExport>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PostPunchBatch>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<RetryFailedBatches>());
    }

    [Theory]
    [InlineData("ClockSyncExportsContainer", "other-exports", "ClockSync__Storage__ExportsContainer")]
    [InlineData("ClockSyncBatchQueue", "other-batches", "ClockSync__Storage__BatchQueue")]
    [InlineData("ClockSyncRetrySchedule", "0 0 * * * *", "ClockSync__Retry__Schedule")]
    public void A_trigger_setting_that_disagrees_with_the_pipeline_stops_the_host_naming_both(string flat, string value, string pipelineSetting)
    {
        // The trigger would listen on one name while the handlers send to, or read, another.
        var configuration = SampleSettings.Configuration((flat, value));
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddClockSyncPipeline(configuration);
        using var provider = services.BuildServiceProvider();

        var thrown = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var failures = thrown is AggregateException aggregate ? aggregate.InnerExceptions : [thrown];

        var failure = Assert.Single(failures);
        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(flat, failure.Message, StringComparison.Ordinal);
        Assert.Contains(pipelineSetting, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_setting_stops_the_host_at_start_with_the_setting_named()
    {
        var configuration = SampleSettings.Configuration(("ClockSync:Feishu:EmployeeType", "open_id"));
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddClockSyncPipeline(configuration);
        using var provider = services.BuildServiceProvider();

        // The resilience handler's own start-up check reads FeishuOptions too, so the validator may report the same
        // broken setting more than once (as an AggregateException); every failure must name it.
        var thrown = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var failures = thrown is AggregateException aggregate ? aggregate.InnerExceptions : [thrown];

        Assert.NotEmpty(failures);
        Assert.All(failures, failure =>
        {
            Assert.IsType<OptionsValidationException>(failure);
            Assert.Contains("EmployeeType", failure.Message, StringComparison.Ordinal);
        });
    }
}
