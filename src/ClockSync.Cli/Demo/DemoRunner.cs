using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using ClockSync.Cli.Emulators;
using ClockSync.Cli.Hosting;
using ClockSync.FeishuSandbox;
using ClockSync.Notify;
using ClockSync.Notify.Cards;
using ClockSync.Storage;
using ClockSync.Storage.ImportRows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClockSync.Cli.Demo;

/// <summary>
/// Azurite + the Feishu sandbox + the local host, the shipped samples uploaded, and a summary checked against the
/// sandbox's ledger. Children are stopped in reverse order however the run ends.
/// </summary>
internal static class DemoRunner
{
    public const string MappingFile = "id-mapping.csv";
    private const string MappingContainer = "id-mappings";
    private static readonly string[] ExportPatterns = ["*.dat", "*.csv", "*.xlsx", "*.xls", "*.txt"];

    /// <summary>How long the summary waits for the last import's card.</summary>
    private static readonly TimeSpan CardWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Mapped clock keys whose Feishu ids the sandbox tenant does not know (people not yet in Feishu): their punches are
    /// rejected per record by Feishu on the first post and held (not retried, not parked) until the id mapping names
    /// them, which the summary shows; later batches hold their punches without a call.
    /// </summary>
    private static readonly (string ClockKey, string FeishuId)[] NewStarters = [("3101", "ou_new_starter_3101"), ("3102", "ou_new_starter_3102")];

    public static async Task<int> RunAsync(CliContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        var mappingPath = Path.Combine(settings.SamplesDirectory, MappingFile);
        if (!File.Exists(mappingPath))
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {mappingPath}: file not found (the demo maps clock users with it).");
            return ExitCodes.FileNotFound;
        }

        var exports = ExportPatterns
            .SelectMany(pattern => Directory.EnumerateFiles(settings.SamplesDirectory, pattern))
            .Where(path => !string.Equals(Path.GetFileName(path), MappingFile, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (exports.Count == 0)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {settings.SamplesDirectory}: no clock exports to upload.");
            return ExitCodes.FileNotFound;
        }

        var mappingText = await File.ReadAllTextAsync(mappingPath, cancellationToken);
        var knownUsers = FeishuIdsOf(mappingText);

        await using var azurite = await AzuriteProcess.StartAsync(null, line => context.Error.WriteLine(line), cancellationToken);
        await using var sandbox = await FeishuSandboxServer.StartAsync(
            new SandboxSettings { KnownUsers = SandboxUsers.Same(knownUsers) }, cancellationToken);
        sandbox.Faults.NextCalls(settings.Throttles, SandboxFault.Throttle());
        await context.Error.WriteLineAsync(
            $"Feishu sandbox on {sandbox.BaseAddress} knows {knownUsers.Count} users; the first {settings.Throttles} batch_create calls get 429.");

        var names = new StorageOptions();
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var mappingBlob = blobs.GetBlobContainerClient(MappingContainer);
        await mappingBlob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await mappingBlob.GetBlobClient(MappingFile).UploadAsync(BinaryData.FromString(WithNewStarters(mappingText)), overwrite: true, cancellationToken);

        var options = new LocalHostOptions
        {
            ReadUserSettings = false,
            MinimumLogLevel = LogLevel.Warning,

            // With the progress lines on stderr, so stdout holds the summary and the cards only.
            LogWriter = context.Error,
            Overrides = new Dictionary<string, string?>
            {
                [LocalHostBuilder.ConnectionName] = azurite.ConnectionString,
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ClockSync:Feishu:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
                ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
                ["ClockSync:Feishu:AppId"] = SandboxSettings.DefaultAppId,
                ["ClockSync:Feishu:AppSecret"] = SandboxSettings.DefaultAppSecret,
                ["ClockSync:Punches:IdMappingBlob"] = $"{MappingContainer}/{MappingFile}",
                ["ClockSync:Punches:UnmappedUsers"] = "Reject",

                // Retries within seconds rather than minutes, so the 429 burst is worked off while you watch.
                ["ClockSync:Retry:Schedule"] = "*/2 * * * * *",
                ["ClockSync:Retry:BaseDelay"] = "00:00:01",
                ["ClockSync:Retry:MaxDelay"] = "00:00:04",
                ["ClockSync:Retry:MaxAttempts"] = "4",

                // A card per import to the sandbox's chat, printed after the summary.
                ["ClockSync:Notify:ChatId"] = SandboxMessaging.DefaultChatId,
            },
        };
        // Uploaded before the host starts, so its first container scan sees them: the polling blob trigger (WebJobs
        // Storage.Blobs 5.3.8 and later) can skip a blob written while a scan is under way, and without storage
        // analytics logs (Azurite has none) nothing finds it again (Azure/azure-sdk-for-net#62763).
        var exportsContainer = blobs.GetBlobContainerClient(names.ExportsContainer);
        await exportsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var export in exports)
        {
            await exportsContainer.GetBlobClient(Path.GetFileName(export)).UploadAsync(export, overwrite: true, cancellationToken);
            await context.Error.WriteLineAsync($"Uploaded {Path.GetFileName(export)} to {names.ExportsContainer}.");
        }

        var configuration = LocalHostBuilder.BuildConfiguration(options);
        using var host = LocalHostBuilder.Build(configuration, options);
        await host.StartAsync(cancellationToken);
        try
        {
            var progress = await WaitUntilSettledAsync(
                context, host.Services.GetRequiredService<ImportStore>(), host.Services.GetRequiredService<PipelineStorage>(), exports.Count, settings.Timeout, cancellationToken);
            var elapsed = context.Time.GetElapsedTime(started);
            var exit = await DemoReport.WriteAsync(context.Out, exports.Count, progress, sandbox.Ledger.Snapshot(), elapsed);
            await WriteCardsAsync(context, sandbox, exports.Count, cancellationToken);
            return exit;
        }
        catch (TimeoutException e)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {e.Message}");
            return ExitCodes.Unexpected;
        }
        finally
        {
            // Not the command's token: after Ctrl+C the host must still stop before Azurite goes.
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(stopTimeout.Token);
        }
    }

    /// <summary>
    /// The cards the sandbox's chat received, as text. The handler that settles an import sends its card right after its
    /// own work, so the last card may still be on its way when the tables say settled: wait for one per file, briefly.
    /// </summary>
    private static async Task WriteCardsAsync(CliContext context, FeishuSandboxServer sandbox, int files, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(CardWait);
        try
        {
            await sandbox.Messages.WaitForCountAsync(files, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Print what came; the line below says how many.
        }

        var cards = sandbox.Messages.Snapshot();
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Feishu cards sent to chat {SandboxMessaging.DefaultChatId}: {cards.Count} (one per import)"));
        foreach (var card in cards)
        {
            await context.Out.WriteLineAsync();
            await context.Out.WriteAsync(CardText.Render(System.Text.Json.Nodes.JsonNode.Parse(card.Content.GetRawText())!.AsObject()));
        }
    }

    private static async Task<ImportProgress> WaitUntilSettledAsync(
        CliContext context, ImportStore imports, PipelineStorage storage, int files, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetTimestamp();
        string? lastLine = null;
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(500), context.Time);
        while (true)
        {
            var progress = await TryReadAsync(imports, storage, cancellationToken);
            if (progress is not null)
            {
                var line = progress.Describe(files);
                if (line != lastLine)
                {
                    await context.Error.WriteLineAsync(line);
                    lastLine = line;
                }

                if (progress.IsSettled(files))
                {
                    return progress;
                }
            }

            if (context.Time.GetElapsedTime(deadline) > timeout)
            {
                throw new TimeoutException(
                    $"not every batch was posted or parked within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({lastLine?.Trim()}).");
            }

            await ticks.WaitForNextTickAsync(cancellationToken);
        }
    }

    private static async Task<ImportProgress?> TryReadAsync(ImportStore imports, PipelineStorage storage, CancellationToken cancellationToken)
    {
        try
        {
            return await ImportProgress.ReadAsync(imports, new Storage.Failures.FailedBatchStore(storage), cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The tables appear with the first ingest.
            return null;
        }
    }

    private static HashSet<string> FeishuIdsOf(string mappingCsv) =>
        mappingCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Split(',')).Where(fields => fields.Length >= 2)
            .Select(fields => fields[1].Trim())
            .ToHashSet(StringComparer.Ordinal);

    private static string WithNewStarters(string mappingCsv)
    {
        var text = new StringBuilder(mappingCsv.TrimEnd()).Append('\n');
        foreach (var (key, id) in NewStarters)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key},{id},New starter (not in Feishu yet)\n");
        }

        return text.ToString();
    }
}
