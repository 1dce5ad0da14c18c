using System.CommandLine;
using System.Globalization;
using ClockSync.Cli.Demo;
using ClockSync.Cli.Emulators;

namespace ClockSync.Cli.Commands;

/// <summary><c>clocksync demo</c>: the whole product on a laptop, with nothing but the .NET SDK and Node.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var samples = new Option<string?>("--samples")
        {
            Description = "Folder of exports to upload, with the id-mapping.csv to use (default: the repository's samples).",
            HelpName = "folder",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for every batch to be posted or parked.",
            DefaultValueFactory = _ => 180,
            HelpName = "seconds",
        };
        var throttles = new Option<int>("--throttles")
        {
            Description = "How many batch_create calls the sandbox answers with 429 before it accepts.",
            DefaultValueFactory = _ => 5,
            HelpName = "count",
        };
        var command = new Command(
            "demo",
            "Start Azurite and a Feishu sandbox, host the three functions, upload the sample exports and show what landed in "
            + "Feishu, with retries after 429s and parked punches of users Feishu does not know. Stops everything it started."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            samples, timeout, throttles,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var folder = parsed.GetValue(samples) ?? DefaultSamples();
            if (folder is null || !Directory.Exists(folder))
            {
                await context.Error.WriteLineAsync($"{CliApp.Name}: samples folder {folder ?? "(not found above the current folder)"} does not exist; pass --samples.");
                return ExitCodes.FileNotFound;
            }

            var seconds = parsed.GetValue(timeout);
            var burst = parsed.GetValue(throttles);
            if (seconds <= 0 || burst < 0)
            {
                await context.Error.WriteLineAsync(
                    $"{CliApp.Name}: --timeout must be positive and --throttles not negative (got {seconds.ToString(CultureInfo.InvariantCulture)}, {burst.ToString(CultureInfo.InvariantCulture)}).");
                return ExitCodes.Usage;
            }

            return await DemoRunner.RunAsync(context, new DemoSettings(folder, TimeSpan.FromSeconds(seconds), burst), cancellationToken);
        });
        return command;
    }

    private static string? DefaultSamples()
    {
        var root = RepositoryLayout.FindToolsRoot(Environment.CurrentDirectory) ?? RepositoryLayout.FindToolsRoot(AppContext.BaseDirectory);
        return root is null ? null : Path.Combine(root, "samples");
    }
}
