using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Secrets;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IFeishuAppCredentialsProvider"/>: from Key Vault (a singleton <see cref="SecretClient"/>
    /// with <see cref="DefaultAzureCredential"/>; in Azure the managed identity named by <c>AZURE_CLIENT_ID</c>)
    /// when <c>ClockSync:KeyVault:VaultUri</c> is set, otherwise from <c>ClockSync:Feishu:AppId/AppSecret</c>.
    /// </summary>
    public static IServiceCollection AddClockSyncSecrets(this IServiceCollection services, IConfiguration configuration) =>
        services.AddClockSyncSecrets(configuration, credential: null, clientOptions: null);

    /// <summary>
    /// As <see cref="AddClockSyncSecrets(IServiceCollection, IConfiguration)"/>, with the token credential and client
    /// options supplied by the caller (tests point these at a local vault; null means the production defaults).
    /// </summary>
    public static IServiceCollection AddClockSyncSecrets(
        this IServiceCollection services,
        IConfiguration configuration,
        TokenCredential? credential,
        SecretClientOptions? clientOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<KeyVaultOptions>()
            .Bind(configuration.GetSection(KeyVaultOptions.SectionName))
            .PostConfigure(options =>
            {
                // A blank setting binds to a relative Uri of spaces; it means "no vault", as an absent one does.
                if (options.VaultUri is { } uri && string.IsNullOrWhiteSpace(uri.OriginalString))
                {
                    options.VaultUri = null;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        if (!IsVaultConfigured(configuration))
        {
            services.TryAddSingleton<IFeishuAppCredentialsProvider>(_ => new ConfigurationFeishuAppCredentialsProvider(configuration));
            return services;
        }

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
            return new SecretClient(
                options.VaultUri!,
                credential ?? CreateDefaultCredential(configuration),
                clientOptions ?? CreateDefaultClientOptions());
        });
        services.TryAddSingleton(provider => new KeyVaultSecretProvider(
            provider.GetRequiredService<SecretClient>(),
            provider.GetRequiredService<IOptions<KeyVaultOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<KeyVaultSecretProvider>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<KeyVaultSecretProvider>.Instance));
        services.TryAddSingleton<IFeishuAppCredentialsProvider, KeyVaultFeishuAppCredentialsProvider>();
        return services;
    }

    /// <summary>An empty value counts as "not configured", so the sample settings can list the key blank.</summary>
    public static bool IsVaultConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration.GetSection(KeyVaultOptions.SectionName)["VaultUri"]);
    }

    /// <summary>
    /// Bounded retries and a short per-try timeout: a queue-triggered post waits on this read, and Azure.Core's
    /// default per-try timeout (100 s) would hold a message far longer than a transient blip deserves. A vault that
    /// stays silent surfaces as <see cref="SecretUnavailableReason.VaultUnreachable"/> within about a minute.
    /// </summary>
    public static SecretClientOptions CreateDefaultClientOptions()
    {
        var options = new SecretClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
        return options;
    }

    private static DefaultAzureCredential CreateDefaultCredential(IConfiguration configuration)
    {
        // DefaultAzureCredential reads AZURE_CLIENT_ID from the environment itself; taking it from configuration as
        // well lets the same setting come from local.settings.json or any other configuration source.
        var clientId = configuration["AZURE_CLIENT_ID"];
        var options = new DefaultAzureCredentialOptions();
        if (!string.IsNullOrWhiteSpace(clientId))
        {
            options.ManagedIdentityClientId = clientId;
        }

        return new DefaultAzureCredential(options);
    }
}
