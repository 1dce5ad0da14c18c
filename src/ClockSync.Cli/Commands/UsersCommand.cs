using System.CommandLine;
using System.Globalization;
using ClockSync.Pipeline;
using ClockSync.Storage;
using ClockSync.Storage.UnknownUsers;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync users unknown | retry</c>: the users Feishu refused and the punches held for them. Held punches are
/// posted by themselves when the id-mapping blob changes (the retry timer notices); <c>retry</c> is for when something
/// else changed (the user was added in Feishu, the app's data scope widened).
/// </summary>
internal static class UsersCommand
{
    public static Command Create(CliContext context) =>
        new("users", "Users Feishu does not know, and the punches held for them (posted once the id mapping names them)."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            Unknown(context), Retry(context),
        };

    private static Command Unknown(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON on stdout and nothing else." };
        var command = new Command("unknown", "List the users Feishu refused: Feishu id, clock keys, punches held, first and last refusal, code, message, log id.") { json };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            await services.Get<PipelineStorage>().EnsureCreatedAsync(cancellationToken);
            var store = services.Get<UnknownUserStore>();
            var held = (await store.ListHeldAsync(null, cancellationToken)).GroupBy(row => row.FeishuId, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
            var users = (await store.ListUnknownAsync(cancellationToken))
                .Select(user => new UnknownUserView(
                    user.FeishuId, user.ClockKeys, held.GetValueOrDefault(user.FeishuId), user.FirstRefusedUtc, user.LastRefusedUtc, user.Code, user.Message, user.LogId))
                .OrderBy(user => user.FeishuId, StringComparer.Ordinal)
                .ToList();
            if (parsed.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, users);
                return ExitCodes.Ok;
            }

            if (users.Count == 0)
            {
                await context.Out.WriteLineAsync("No unknown users.");
                return ExitCodes.Ok;
            }

            await TextTable.WriteAsync(
                context.Out,
                ["FEISHU ID", "CLOCK KEYS", "HELD", "FIRST REFUSED (UTC)", "LAST REFUSED (UTC)", "CODE", "LOG ID", "MESSAGE"],
                users.Select(user => (IReadOnlyList<string>)
                [
                    user.FeishuId,
                    user.ClockKeys,
                    user.Held.ToString(CultureInfo.InvariantCulture),
                    Time(user.FirstRefusedUtc),
                    Time(user.LastRefusedUtc),
                    user.Code?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    user.LogId ?? "-",
                    user.Message ?? "-",
                ]));
            await context.Out.WriteLineAsync(
                "Fix the id mapping blob (the retry timer then posts the held punches with the new ids), or add the user in Feishu and run 'clocksync users retry --user KEY'.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Retry(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Only this clock key's held punches.", HelpName = "clock-key" };
        var command = new Command(
            "retry",
            "Map held punches again with the current id mapping and post them now, even when the id did not change. " +
            "Safe to repeat: each punch keeps its idempotent_id, and a user Feishu still refuses stays held.")
        { user };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: true, async services =>
        {
            await services.Get<PipelineStorage>().EnsureCreatedAsync(cancellationToken);
            var release = await services.Get<HeldPunchReleaser>().ReleaseAsync(parsed.GetValue(user), force: true, cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{release.Held} held punch(es): {release.Released} posted (or handed to 'clocksync failed'), {release.RefusedAgain} refused again and still held."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed record UnknownUserView(
        string FeishuId, string ClockKeys, int Held, DateTimeOffset FirstRefusedUtc, DateTimeOffset LastRefusedUtc, int? Code, string? Message, string? LogId);
}
