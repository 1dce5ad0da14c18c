using System.CommandLine;
using System.CommandLine.Help;
using ClockSync.Cli.Commands;
using ClockSync.Punches;

namespace ClockSync.Cli;

/// <summary>
/// <c>clocksync</c>: the operator's tool. Each command lives in its own file under <c>Commands/</c> and is added in
/// <see cref="BuildRoot"/>; this class owns parsing, exit codes for bad command lines, and the last-resort error line.
/// </summary>
public static class CliApp
{
    public const string Name = "clocksync";

    /// <summary>Runs one command line and returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, new CliContext(stdout, stderr, TimeProvider.System, () => new PunchOptions()), cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRoot(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"{Name}: {error.Message}");
            }

            // The whole path ("clocksync failed retry"), not just the innermost command's name.
            var path = new List<string>();
            for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                path.Insert(0, result.Command == root ? Name : result.Command.Name);
            }

            var helpFor = string.Join(' ', path);
            await context.Error.WriteLineAsync($"Run '{helpFor} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,

                // After Ctrl+C, run and demo stop the host and their child processes (Azurite) before returning; the
                // default 2 s would abandon them half-way.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            };
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"{Name}: interrupted.");
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The last line of defence: one clear line on stderr instead of a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await context.Error.WriteLineAsync($"{Name}: unexpected error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Unexpected;
        }
    }

    internal static Command BuildRoot(CliContext context)
    {
        // A plain command named "clocksync" rather than RootCommand, whose name is the executable's
        // (ClockSync.Cli under dotnet run, testhost in tests).
        var root = new Command(Name, "Imports attendance-clock exports into Feishu/Lark attendance.")
        {
            new HelpOption { Recursive = true },
            new VersionOption(),
            ValidateCommand.Create(context),
            RunCommand.Create(context),
            DemoCommand.Create(context),
            UploadCommand.Create(context),
            StatusCommand.Create(context),
            FailedCommand.Create(context),
            UsersCommand.Create(context),
            PoisonCommand.Create(context),
            ReconcileCommand.Create(context),
            FeishuCommand.Create(context),
        };
        return root;
    }
}
