using System.CommandLine;
using System.Globalization;
using ClockSync.Storage;
using ClockSync.Storage.Batches;

namespace ClockSync.Cli.Commands;

/// <summary><c>clocksync poison replay</c>: batch messages the host gave up on go back to the batch queue.</summary>
internal static class PoisonCommand
{
    public static Command Create(CliContext context)
    {
        var replay = new Command(
            "replay",
            "Move every message of the poison queue ({BatchQueue}-poison) back to the batch queue, to be posted again. " +
            "Safe: a batch already recorded is not posted twice.");
        replay.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            await services.Get<PipelineStorage>().EnsureCreatedAsync(cancellationToken);
            var moved = await services.Get<BatchMessenger>().ReplayPoisonAsync(cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{moved} message(s) moved back to {services.StorageNames.BatchQueue}."));
            return ExitCodes.Ok;
        }));
        return new Command("poison", "The poison queue of batch messages." + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText) { replay };
    }
}
