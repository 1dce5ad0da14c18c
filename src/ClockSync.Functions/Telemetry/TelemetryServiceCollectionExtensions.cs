using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

namespace ClockSync.Functions.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Application Insights for the worker's own logs, dependencies and the <c>ClockSync</c> metrics — only when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set; without it nothing is registered, so local runs and tests
    /// neither buffer telemetry nor warn about a missing key. Returns whether telemetry was wired.
    /// </summary>
    public static bool AddClockSyncTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        // Parsed before anything is registered, so a malformed setting fails the start with its name.
        var authentication = ApplicationInsightsAuthentication.Parse(configuration[ApplicationInsightsAuthentication.SettingName]);

        services.AddApplicationInsightsTelemetryWorkerService(options => options.ConnectionString = connectionString);
        services.ConfigureFunctionsApplicationInsights();
        if (authentication is not null)
        {
            var credential = authentication.CreateCredential();
            services.Configure<TelemetryConfiguration>(telemetry => telemetry.SetAzureTokenCredential(credential));
        }

        // The SDK adds a rule that keeps only warnings for its logger provider; host.json's levels should decide.
        services.Configure<LoggerFilterOptions>(options =>
        {
            var sdkDefault = options.Rules.FirstOrDefault(rule => string.Equals(
                rule.ProviderName,
                typeof(ApplicationInsightsLoggerProvider).FullName,
                StringComparison.Ordinal));
            if (sdkDefault is not null)
            {
                options.Rules.Remove(sdkDefault);
            }
        });

        services.AddHostedService<ClockSyncMetricsForwarder>();
        return true;
    }
}
