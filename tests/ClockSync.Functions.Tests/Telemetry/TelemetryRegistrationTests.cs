using ClockSync.Functions.Telemetry;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClockSync.Functions.Tests.Telemetry;

public sealed class TelemetryRegistrationTests
{
    // The documented placeholder form; nothing is sent because no test starts the hosted services' channel.
    private const string ConnectionString =
        "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost.invalid/";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_connection_string_nothing_is_registered(string? connectionString)
    {
        var services = new ServiceCollection();

        var wired = services.AddClockSyncTelemetry(Configuration((TelemetryServiceCollectionExtensions.ConnectionStringSetting, connectionString)));

        Assert.False(wired);
        Assert.Empty(services);
    }

    [Fact]
    public async Task With_a_connection_string_the_worker_sends_to_it_and_forwards_the_clocksync_metrics()
    {
        var configuration = Configuration((TelemetryServiceCollectionExtensions.ConnectionStringSetting, ConnectionString));
        var services = new ServiceCollection().AddSingleton(configuration); // as the worker host registers it

        var wired = services.AddClockSyncTelemetry(configuration);

        Assert.True(wired);
        await using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<TelemetryClient>());
        Assert.Equal(ConnectionString, provider.GetRequiredService<IOptions<TelemetryConfiguration>>().Value.ConnectionString);
        Assert.Contains(provider.GetServices<IHostedService>(), service => service is ClockSyncMetricsForwarder);
    }

    [Fact]
    public void A_malformed_authentication_string_fails_registration_before_anything_is_added()
    {
        var services = new ServiceCollection();

        Assert.Throws<FormatException>(() => services.AddClockSyncTelemetry(Configuration(
            (TelemetryServiceCollectionExtensions.ConnectionStringSetting, ConnectionString),
            (ApplicationInsightsAuthentication.SettingName, "Authorization=Key"))));
        Assert.Empty(services);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
}
