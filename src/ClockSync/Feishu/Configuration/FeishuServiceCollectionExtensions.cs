using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Auth;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Feishu.Messages;
using ClockSync.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ClockSync.Feishu.Configuration;

public static class FeishuServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IFeishuAttendanceClient"/> and <see cref="IFeishuMessageClient"/> with options from
    /// <c>ClockSync:Feishu</c>, the app credentials (<c>AddClockSyncSecrets</c>: Key Vault or configuration), the in-memory
    /// call counter and the in-process call gate (all replaceable: register your own
    /// <see cref="IFeishuAppCredentialsProvider"/> / <see cref="IFeishuCallCounter"/> / <see cref="IFeishuCallGate"/> first),
    /// and the named HTTP client.
    /// </summary>
    public static IServiceCollection AddFeishuClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<FeishuOptions>()
            .Bind(configuration.GetSection(FeishuOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeishuOptions>, FeishuOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        // The one credential path: Key Vault when ClockSync:KeyVault:VaultUri is set, configuration otherwise.
        services.AddClockSyncSecrets(configuration);
        services.TryAddSingleton<IFeishuCallCounter, InMemoryFeishuCallCounter>();
        services.TryAddSingleton<FeishuRateLimiterRegistry>();
        services.TryAddSingleton<IFeishuCallGate, LocalFeishuCallGate>();
        services.TryAddSingleton<FeishuChannel>();
        services.TryAddSingleton<TenantTokenCache>();
        services.TryAddSingleton<UnknownUserRegistry>();
        services.TryAddSingleton<IFeishuAttendanceClient, FeishuAttendanceClient>();
        services.TryAddSingleton<IFeishuMessageClient, FeishuMessageClient>();
        services.TryAddTransient<FeishuCallCountingHandler>();

        services.AddHttpClient(FeishuChannel.HttpClientName, static (provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<FeishuOptions>>().Value;
                var address = options.BaseUrl.AbsoluteUri;
                client.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
                // The resilience handler times each attempt; HttpClient's own timeout would also cover time spent
                // queued behind the rate limiter.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // Header values (the bearer token) never reach the HttpClient logs.
            .RedactLoggedHeaders(static _ => true)
            .AddStandardResilienceHandler()
            .Configure(static (resilience, provider) => ConfigureTransportOnly(resilience, provider.GetRequiredService<IOptions<FeishuOptions>>().Value));

        // Inside the resilience handler, so every attempt is counted.
        services.AddHttpClient(FeishuChannel.HttpClientName).AddHttpMessageHandler<FeishuCallCountingHandler>();
        return services;
    }

    /// <summary>
    /// The standard handler, narrowed to transport faults: it re-sends only when no HTTP answer arrived because
    /// the connection failed (safe: every record carries its idempotent_id, the token and query calls are
    /// reads). It never retries an HTTP answer (4xx/5xx business errors are the pipeline's to handle) and never
    /// re-posts after a timeout; the circuit breaker likewise counts transport faults only.
    /// </summary>
    private static void ConfigureTransportOnly(HttpStandardResilienceOptions resilience, FeishuOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.HttpTimeout;

        resilience.Retry.ShouldHandle = static arguments => ValueTask.FromResult(IsTransportFault(arguments.Outcome));
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.TransportRetryCount);
        if (options.TransportRetryCount == 0)
        {
            resilience.Retry.ShouldHandle = static _ => ValueTask.FromResult(false);
        }

        resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;

        resilience.CircuitBreaker.ShouldHandle = static arguments => ValueTask.FromResult(IsTransportFault(arguments.Outcome));
        var sampling = options.HttpTimeout * 2;
        resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);

        // Every attempt may use its full timeout, plus the back-off between attempts.
        resilience.TotalRequestTimeout.Timeout =
            (options.HttpTimeout * (options.TransportRetryCount + 1)) + TimeSpan.FromSeconds(2 * (options.TransportRetryCount + 1));
    }

    private static bool IsTransportFault(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException;
}
