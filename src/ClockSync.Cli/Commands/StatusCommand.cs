using System.CommandLine;
using System.Globalization;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Pipeline;
using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Limits;
using ClockSync.Storage.Pause;
using ClockSync.Storage.Reports;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Options;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync status [file]</c>: every import with its counters, or the import report of one export
/// (written to <c>{ReportsContainer}</c> when the file was ingested; <see cref="ImportReportStore"/> names it).
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string?>("file")
        {
            Description = "An export's blob name (as uploaded): print its import report instead of the list.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON on stdout (for a file: the stored report as is)." };
        var command = new Command(
            "status",
            "List imports with their counters (lines, punches, rejected, duplicates, already imported, batches posted, " +
            "queued, pending retry and parked, Feishu calls), or print one file's import report."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            file, json,
        };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, services =>
            parsed.GetValue(file) is { } name
                ? ReportAsync(context, services, name, parsed.GetValue(json), cancellationToken)
                : ListAsync(context, services, parsed.GetValue(json), cancellationToken)));
        return command;
    }

    private static async Task<int> ListAsync(CliContext context, OperatorServices services, bool json, CancellationToken cancellationToken)
    {
        var storage = services.Get<PipelineStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        var imports = await ImportOverview.ListAsync(services.Get<FailedBatchStore>(), services.Get<ImportStore>(), cancellationToken);
        if (json)
        {
            await CliJson.WriteAsync(context.Out, imports);
            return ExitCodes.Ok;
        }

        if (imports.Count == 0)
        {
            await context.Out.WriteLineAsync("No imports yet.");
            await WriteFeishuStandingAsync(context, services, cancellationToken);
            return ExitCodes.Ok;
        }

        await TextTable.WriteAsync(
            context.Out,
            ["IMPORT", "STARTED (UTC)", "STATE", "LINES", "PUNCHES", "REJECTED", "DUPS", "ALREADY", "POSTED", "QUEUED", "PENDING", "PARKED", "HELD", "CALLS", "FILE"],
            imports.Select(row => (IReadOnlyList<string>)
            [
                row.ImportId[..12],
                row.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                row.State,
                Number(row.Lines),
                Number(row.Punches),
                Number(row.Rejected),
                Number(row.Duplicates),
                Number(row.AlreadyImported),
                string.Create(CultureInfo.InvariantCulture, $"{row.BatchesPosted}/{row.BatchesEnqueued}"),
                Number(row.BatchesQueued),
                Number(row.BatchesPendingRetry),
                Number(row.BatchesParked),
                Number(row.PunchesHeld),
                Number(row.FeishuCalls),
                row.Blob,
            ]));
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync(
            "POSTED = batches posted whole / batches enqueued; QUEUED = not yet posted once; PENDING/PARKED = failed-batch rows (clocksync failed list); HELD = punches of users Feishu does not know (clocksync users unknown); CALLS = batch_create calls.");
        var unknown = await services.Get<UnknownUserStore>().ListUnknownAsync(cancellationToken);
        if (unknown.Count > 0)
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{unknown.Count} user(s) unknown to Feishu: {string.Join(", ", unknown.Select(user => user.FeishuId).Order(StringComparer.Ordinal).Take(20))}{(unknown.Count > 20 ? ", …" : string.Empty)}. Their punches are held until the id mapping names them; see 'clocksync users unknown'."));
        }

        await WriteFeishuStandingAsync(context, services, cancellationToken);
        return ExitCodes.Ok;
    }

    /// <summary>The month's calls against the budget, and the posting pause if one is in force.</summary>
    private static async Task WriteFeishuStandingAsync(CliContext context, OperatorServices services, CancellationToken cancellationToken)
    {
        var budget = services.Get<IOptions<FeishuOptions>>().Value.MonthlyCallBudget;
        var month = FeishuQuotaMonth.Of(context.Time.GetUtcNow());
        var reserved = await services.Get<SharedFeishuCallGate>().ReservedThisMonthAsync(cancellationToken);
        await context.Out.WriteLineAsync();
        if (reserved.Count == 0)
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Feishu calls in {month} (China time): none counted against the budget ({(budget is { } none ? $"budget {none}" : "no budget set")})."));
        }

        foreach (var (appId, calls) in reserved)
        {
            var against = budget is { } cap
                ? string.Create(CultureInfo.InvariantCulture, $"{calls} of the budget of {cap} ({100.0 * calls / cap:0.#} %)")
                : string.Create(CultureInfo.InvariantCulture, $"{calls} (no budget set: ClockSync__Feishu__MonthlyCallBudget)");
            await context.Out.WriteLineAsync($"Feishu calls in {month} (China time), app {appId}: {against}.");
        }

        if (await services.Get<PostingPause>().CurrentAsync(cancellationToken) is { } paused)
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"POSTING PAUSED since {paused.StartedUtc:yyyy-MM-dd HH:mm} UTC until {paused.UntilUtc:yyyy-MM-dd HH:mm} UTC: {paused.Reason} used up ({paused.Message}); 'clocksync feishu resume' ends it."));
        }
    }

    private static async Task<int> ReportAsync(CliContext context, OperatorServices services, string name, bool json, CancellationToken cancellationToken)
    {
        var storage = services.Get<PipelineStorage>();
        if (await services.Get<ImportReportStore>().ReadAsync(name, cancellationToken) is not { } text)
        {
            await context.Error.WriteLineAsync(
                $"{CliApp.Name}: no import report for '{name}' in container {storage.Options.ReportsContainer} (not uploaded, or not ingested yet); 'clocksync status' lists the imports.");
            return ExitCodes.NotFound;
        }

        if (json)
        {
            await context.Out.WriteLineAsync(text);
            return ExitCodes.Ok;
        }

        var report = ImportReport.FromJson(text);
        var overview = (await ImportOverview.ListAsync(services.Get<FailedBatchStore>(), services.Get<ImportStore>(), cancellationToken))
            .FirstOrDefault(row => string.Equals(row.ImportId, report.ImportId, StringComparison.Ordinal));
        var lines = new List<string>
        {
            $"{report.Blob}: {report.Status}" + (report.Reason is null ? string.Empty : $" ({report.Reason})"),
            Row("import", report.ImportId),
            Row("new punches", Number(report.NewPunches)),
            Row("already", Number(report.AlreadyImported) + " (imported earlier by another file; not sent again)"),
            Row("batches", Number(report.Batches)),
        };
        if (report.UnknownUsers is { Count: > 0 } unknownUsers)
        {
            lines.Add(Row("held", string.Join(", ", unknownUsers.Select(user => string.Create(CultureInfo.InvariantCulture, $"{user.FeishuId} ({user.Punches})")))
                + ": users Feishu does not know; see 'clocksync users unknown'"));
        }

        if (overview is not null)
        {
            lines.Add(Row("posted", string.Create(CultureInfo.InvariantCulture,
                $"{overview.PunchesPosted} punches; {overview.BatchesPosted} batches whole, {overview.BatchesQueued} queued, {overview.BatchesPendingRetry} pending retry, {overview.BatchesParked} parked ({overview.PunchesParked} punches), {overview.PunchesHeld} punches held for unknown users")));
            lines.Add(Row("Feishu calls", string.Create(CultureInfo.InvariantCulture, $"{overview.FeishuCalls} ({overview.Throttled} throttled)")));
        }

        foreach (var line in lines)
        {
            await context.Out.WriteLineAsync(line);
        }

        if (report.Summary is { } summary)
        {
            await context.Out.WriteLineAsync();
            await SummaryText.WriteAsync(context.Out, summary, services.Get<IOptions<PunchOptions>>().Value);
        }

        return ExitCodes.Ok;
    }

    private static string Row(string label, string value) => $"  {label,-12} {value}";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
