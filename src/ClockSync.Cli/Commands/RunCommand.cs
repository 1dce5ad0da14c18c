using System.CommandLine;
using ClockSync.Cli.Configuration;
using ClockSync.Cli.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync run</c>: hosts the three functions on the WebJobs SDK against the configured storage and Feishu, until
/// Ctrl+C. Settings: <c>ClockSync__*</c> environment variables over <c>local.settings.json</c> <c>Values</c>.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "run",
            "Host IngestClockExport, PostPunchBatch and RetryFailedBatches locally (WebJobs SDK) until Ctrl+C. Reads ClockSync__* "
            + "settings from the environment and from local.settings.json Values (current folder, then the repository root)."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText);
        command.SetAction((_, cancellationToken) => RunAsync(context, new LocalHostOptions(), cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(CliContext context, LocalHostOptions options, CancellationToken cancellationToken)
    {
        Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
        try
        {
            configuration = LocalHostBuilder.BuildConfiguration(options);
        }
        catch (InvalidDataException e)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {e.Message}");
            return ExitCodes.Configuration;
        }

        if (!LocalHostBuilder.HasConnection(configuration))
        {
            await context.Error.WriteLineAsync(
                $"{CliApp.Name}: missing setting {LocalHostBuilder.ConnectionName} (the storage connection string). Set the environment "
                + $"variable {LocalHostBuilder.ConnectionName}, or add it to \"Values\" in {LocalSettings.FileName} "
                + "(see local.settings.sample.json; 'UseDevelopmentStorage=true' for Azurite on its default ports).");
            return ExitCodes.Configuration;
        }

        using var host = LocalHostBuilder.Build(configuration, options);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await context.Error.WriteLineAsync($"{CliApp.Name}: invalid setting: {failure}");
            }

            return ExitCodes.Configuration;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        await context.Error.WriteLineAsync($"{CliApp.Name}: hosting IngestClockExport, PostPunchBatch and RetryFailedBatches; Ctrl+C stops.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the normal way to stop a host; in-flight functions finish (or are cancelled) in StopAsync below.
        }

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.StopAsync(stopTimeout.Token);
        await context.Error.WriteLineAsync($"{CliApp.Name}: stopped.");
        return ExitCodes.Ok;
    }
}
