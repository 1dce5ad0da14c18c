using Azure;
using ClockSync.Cli.Configuration;
using ClockSync.Feishu.Configuration;
using ClockSync.Pipeline;
using ClockSync.Secrets;
using ClockSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.Cli.Commands;

/// <summary>
/// The pipeline's services (stores, storage clients, Feishu client) as the operator commands use them, built from
/// <see cref="LocalSettings"/>, with the missing-setting checks that turn into one clear line and exit code 6.
/// </summary>
internal sealed class OperatorServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private OperatorServices(ServiceProvider provider, IConfiguration configuration)
    {
        _provider = provider;
        Configuration = configuration;
    }

    public IConfiguration Configuration { get; }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public StorageOptions StorageNames => Get<IOptions<StorageOptions>>().Value;

    /// <summary>
    /// Builds the services, or writes why not to stderr and returns null with the exit code in
    /// <paramref name="exitCode"/>. <paramref name="needsFeishu"/>: the command calls Feishu (app id and secret needed).
    /// </summary>
    public static async Task<(OperatorServices? Services, int ExitCode)> TryCreateAsync(CliContext context, bool needsFeishu)
    {
        IConfiguration configuration;
        try
        {
            configuration = context.Configuration?.Invoke() ?? LocalSettings.Load(Directory.GetCurrentDirectory());
        }
        catch (InvalidDataException exception)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {exception.Message}");
            return (null, ExitCodes.Configuration);
        }

        var problems = new List<string>();
        var connection = configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Connection)}"] is { Length: > 0 } named
            ? named
            : new StorageOptions().Connection;
        if (string.IsNullOrWhiteSpace(configuration[connection])
            && string.IsNullOrWhiteSpace(configuration.GetConnectionString(connection))
            && string.IsNullOrWhiteSpace(configuration[$"{connection}:blobServiceUri"]))
        {
            problems.Add(
                $"storage is not configured: {LocalSettings.WhereToSet(connection)} to the storage connection string " +
                $"(UseDevelopmentStorage=true for a local Azurite), or set {connection}__blobServiceUri, __queueServiceUri and __tableServiceUri for an identity-based connection.");
        }

        if (needsFeishu && !SecretsServiceCollectionExtensions.IsVaultConfigured(configuration))
        {
            foreach (var key in new[] { ConfigurationFeishuAppCredentialsProvider.AppIdKey, ConfigurationFeishuAppCredentialsProvider.AppSecretKey })
            {
                if (string.IsNullOrWhiteSpace(configuration[key]))
                {
                    problems.Add($"{key} is not set: {LocalSettings.WhereToSet(key)} (or set ClockSync__KeyVault__VaultUri to read it from Key Vault).");
                }
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await context.Error.WriteLineAsync($"{CliApp.Name}: {problem}");
            }

            return (null, ExitCodes.Configuration);
        }

        var services = new ServiceCollection();
        services.AddSingleton(context.Time);
        services.AddClockSyncPipeline(configuration);
        var provider = services.BuildServiceProvider();
        var built = new OperatorServices(provider, configuration);
        try
        {
            _ = built.StorageNames;
        }
        catch (OptionsValidationException exception)
        {
            return await RefuseAsync(context, built, exception, StorageOptions.SectionName);
        }

        if (needsFeishu)
        {
            // Before any call: the app secret goes to BaseUrl, so a bad one is refused here, not at the first request.
            try
            {
                _ = built.Get<IOptions<FeishuOptions>>().Value;
            }
            catch (OptionsValidationException exception)
            {
                return await RefuseAsync(context, built, exception, FeishuOptions.SectionName);
            }
        }

        return (built, ExitCodes.Ok);
    }

    private static async Task<(OperatorServices? Services, int ExitCode)> RefuseAsync(
        CliContext context, OperatorServices built, OptionsValidationException exception, string section)
    {
        foreach (var failure in exception.Failures)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: invalid setting: {failure} (settings under {LocalSettings.ToEnvironmentName(section)}__*)");
        }

        await built.DisposeAsync();
        return (null, ExitCodes.Configuration);
    }

    /// <summary>One line for a storage call that failed (unreachable account, no permission).</summary>
    public static async Task<int> StorageFailedAsync(CliContext context, RequestFailedException exception)
    {
        await context.Error.WriteLineAsync(
            $"{CliApp.Name}: storage request failed (HTTP {exception.Status}, {exception.ErrorCode ?? "no error code"}): {FirstLine(exception.Message)}");
        return ExitCodes.ServiceFailed;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
