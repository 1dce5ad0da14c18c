using System.CommandLine;
using System.Globalization;
using ClockSync.Notify;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.Pause;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync feishu resume</c>: ends the app-wide posting pause that a used-up monthly quota (or call budget)
/// started, and makes the batches it held due now, so the retry timer posts them on its next run.
/// </summary>
internal static class FeishuCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "feishu",
            "The app's standing with Feishu: end the posting pause after the tenant's quota was raised."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            Resume(context),
        };
        return command;
    }

    private static Command Resume(CliContext context)
    {
        var command = new Command(
            "resume",
            "End the posting pause (started when Feishu's monthly quota or the app's call budget was used up) and make the batches it held due now. "
            + "If the quota is still used up, the next call starts the pause again; a budget pause ends by itself when the budget is raised.");
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            await services.Get<PipelineStorage>().EnsureCreatedAsync(cancellationToken);
            var ended = await services.Get<PostingPause>().ResumeAsync(cancellationToken);
            if (ended is null)
            {
                await context.Out.WriteLineAsync("Posting was not paused.");
                return ExitCodes.Ok;
            }

            // The batches the pause held were scheduled for its end.
            var moved = await services.Get<FailedBatchStore>().BringForwardAsync(
                ended.UntilUtc - TimeSpan.FromMinutes(1), context.Time.GetUtcNow(), cancellationToken);
            await services.Get<Notifier>().NotifyPostingResumedAsync("an operator resumed posting (clocksync feishu resume)", cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Posting resumed (paused since {ended.StartedUtc:yyyy-MM-dd HH:mm} UTC: {ended.Reason} used up, {ended.Message}). "
                + $"{moved} pending batches are due now; the retry timer posts them on its next run."));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
