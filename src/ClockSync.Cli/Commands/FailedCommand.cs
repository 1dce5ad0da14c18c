using System.CommandLine;
using System.Globalization;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync failed list | show | retry | park</c>: the FailedBatches store. A row's id is
/// <c>{importId}/{rowKey}</c> (rowKey <c>{batchNo:D6}-r</c> for the retryable part, <c>-p{n}</c> for a parked part).
/// </summary>
/// <remarks>
/// <c>retry</c> makes a row due now (NextDueUtc = now, and a parked row Pending again with a fresh set of attempts);
/// the retry timer posts it on its next run. It does not enqueue a queue message: the batch's marker already exists,
/// so the post handler would ignore it. Double posts cannot happen: the timer claims each row with an ETag-guarded
/// update, every change here is ETag-guarded too, a row a retry run holds right now is refused, and Feishu dedupes
/// on <c>idempotent_id</c> anyway.
/// </remarks>
internal static class FailedCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "failed",
            "The failed-batch store: batches waiting for a retry or parked, with the last Feishu error (code, message, log id)."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            List(context), Show(context), Retry(context), Park(context),
        };
        return command;
    }

    private static Option<bool> Json() => new("--json") { Description = "Print JSON on stdout and nothing else." };

    private static Argument<string> Id() => new("id") { Description = "The row id as 'failed list' prints it: {importId}/{rowKey}." };

    private static Command List(CliContext context)
    {
        var import = new Option<string?>("--import") { Description = "Only this import's rows.", HelpName = "import-id" };
        var state = new Option<string?>("--state") { Description = "Only rows in this state.", HelpName = "pending|parked" };
        state.AcceptOnlyFromAmong("pending", "parked");
        var json = Json();
        var command = new Command("list", "List failed batches: state, records, attempts, next attempt time (UTC), last error.") { import, state, json };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            var rows = await ReadAsync(services, parsed.GetValue(import), cancellationToken);
            if (parsed.GetValue(state) is { } wanted)
            {
                rows = rows.Where(row => string.Equals(row.State, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            if (parsed.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, rows.Select(FailedBatchView.From).ToList());
                return ExitCodes.Ok;
            }

            if (rows.Count == 0)
            {
                await context.Out.WriteLineAsync("No failed batches.");
                return ExitCodes.Ok;
            }

            await TextTable.WriteAsync(
                context.Out,
                ["ID", "STATE", "BATCH", "RECORDS", "ATTEMPTS", "NEXT ATTEMPT (UTC)", "CODE", "LOG ID", "LAST ERROR"],
                rows.Select(row => (IReadOnlyList<string>)
                [
                    IdOf(row),
                    row.State,
                    Number(row.BatchNo),
                    Number(row.RecordCount),
                    Number(row.AttemptCount),
                    row.State == FailedBatchEntity.Parked ? "-" : Time(row.NextDueUtc),
                    row.LastErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    row.LastLogId ?? "-",
                    Shorten(row.LastErrorMessage ?? "-", 60),
                ]));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = Id();
        var json = Json();
        var command = new Command("show", "Show one failed batch: its last error, park reason and records.") { id, json };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            var row = await FindAsync(context, services, parsed.GetRequiredValue(id), cancellationToken);
            if (row is null)
            {
                return ExitCodes.NotFound;
            }

            var view = FailedBatchView.From(row);
            var records = await services.Get<FailedBatchStore>().ReadRecordsAsync(row, cancellationToken);
            if (parsed.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, new { batch = view, records });
                return ExitCodes.Ok;
            }

            var lines = new List<string>
            {
                view.Id,
                Row("state", view.State),
                Row("import", view.ImportId),
                Row("batch", Number(view.BatchNo)),
                Row("records", Number(view.Records)),
                Row("attempts", Number(view.Attempts)),
                Row("next attempt", view.State == FailedBatchEntity.Parked ? "none (parked; 'failed retry' re-queues it)" : Time(view.NextAttemptUtc)),
                Row("error code", view.LastErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "none"),
                Row("HTTP status", view.LastHttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"),
                Row("message", view.LastErrorMessage ?? "none"),
                Row("log id", view.LastLogId ?? "none"),
            };
            if (view.ParkReason is not null)
            {
                lines.Add(Row("park reason", view.ParkReason));
            }

            lines.Add(string.Empty);
            lines.Add("Records:");
            lines.AddRange(records.Select(record => string.Create(CultureInfo.InvariantCulture,
                $"  line {record.Line,-6} user {record.UserId,-12} {Time(DateTimeOffset.FromUnixTimeSeconds(record.CheckTime))}  {record.IdempotentId}")));
            foreach (var line in lines)
            {
                await context.Out.WriteLineAsync(line);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Retry(CliContext context)
    {
        var id = new Argument<string?>("id") { Description = "The row to re-queue ({importId}/{rowKey}).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Re-queue every failed batch, pending and parked." };
        var command = new Command(
            "retry",
            "Make a failed batch due now (a parked one becomes pending with fresh attempts); the retry timer posts it on its next run. " +
            "Safe to repeat: each punch carries its idempotent_id.")
        { id, all };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(id) is null) == !result.GetValue(all))
            {
                result.AddError("Give either a row id or --all.");
            }
        });
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            List<FailedBatchEntity> rows;
            if (parsed.GetValue(id) is { } one)
            {
                var row = await FindAsync(context, services, one, cancellationToken);
                if (row is null)
                {
                    return ExitCodes.NotFound;
                }

                rows = [row];
            }
            else
            {
                rows = await ReadAsync(services, importId: null, cancellationToken);
            }

            var worst = ExitCodes.Ok;
            var requeued = 0;
            foreach (var row in rows)
            {
                var now = context.Time.GetUtcNow();
                if (await RefuseIfClaimedAsync(context, row, now))
                {
                    worst = ExitCodes.ServiceFailed;
                    continue;
                }

                var wasParked = row.State == FailedBatchEntity.Parked;
                var requeueKey = FailedBatchCountKeys.OperatorRequeue(row);
                if (!await services.Get<FailedBatchStore>().TryRequeueAsync(row, now, cancellationToken))
                {
                    await ChangedAsync(context, row);
                    worst = ExitCodes.ServiceFailed;
                    continue;
                }

                if (wasParked)
                {
                    await CountParkedAsync(services, row, requeueKey, -1, cancellationToken);
                }

                requeued++;
                await context.Out.WriteLineAsync($"re-queued {IdOf(row)} ({Number(row.RecordCount)} records{(wasParked ? ", was parked" : string.Empty)}): due now");
            }

            await context.Out.WriteLineAsync($"{Number(requeued)} batch(es) re-queued; the retry timer posts them on its next run.");
            return worst;
        }));
        return command;
    }

    private static Command Park(CliContext context)
    {
        var id = Id();
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the row and shown by 'failed show').", HelpName = "text" };
        var command = new Command("park", "Park a pending failed batch: the retry timer leaves it alone until 'failed retry'.") { id, reason };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            var row = await FindAsync(context, services, parsed.GetRequiredValue(id), cancellationToken);
            if (row is null)
            {
                return ExitCodes.NotFound;
            }

            if (row.State == FailedBatchEntity.Parked)
            {
                await context.Out.WriteLineAsync($"{IdOf(row)} is already parked: {row.ParkReason}");
                return ExitCodes.Ok;
            }

            var now = context.Time.GetUtcNow();
            if (await RefuseIfClaimedAsync(context, row, now))
            {
                return ExitCodes.ServiceFailed;
            }

            var parkKey = FailedBatchCountKeys.OperatorPark(row);
            var why = "parked by an operator: " + (parsed.GetValue(reason) is { Length: > 0 } text ? text : "no reason given");
            if (!await services.Get<FailedBatchStore>().TryParkAsync(row, why, now, cancellationToken))
            {
                await ChangedAsync(context, row);
                return ExitCodes.ServiceFailed;
            }

            await CountParkedAsync(services, row, parkKey, +1, cancellationToken);
            await context.Out.WriteLineAsync($"parked {IdOf(row)} ({Number(row.RecordCount)} records): {row.ParkReason}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<List<FailedBatchEntity>> ReadAsync(OperatorServices services, string? importId, CancellationToken cancellationToken)
    {
        await services.Get<PipelineStorage>().EnsureCreatedAsync(cancellationToken);
        return [.. await services.Get<FailedBatchStore>().ListAsync(importId, cancellationToken)];
    }

    private static async Task<FailedBatchEntity?> FindAsync(CliContext context, OperatorServices services, string id, CancellationToken cancellationToken)
    {
        await services.Get<PipelineStorage>().EnsureCreatedAsync(cancellationToken);
        if (await services.Get<FailedBatchStore>().FindAsync(id, cancellationToken) is { } row)
        {
            return row;
        }

        await context.Error.WriteLineAsync($"{CliApp.Name}: no failed batch '{id}' (ids look like {{importId}}/{{rowKey}}; 'clocksync failed list' shows them).");
        return null;
    }

    private static async Task<bool> RefuseIfClaimedAsync(CliContext context, FailedBatchEntity row, DateTimeOffset now)
    {
        if (row.ClaimedBy is null || row.NextDueUtc <= now)
        {
            return false;
        }

        await context.Error.WriteLineAsync(
            $"{CliApp.Name}: {IdOf(row)} is being retried right now (claimed until {Time(row.NextDueUtc)} UTC); try again after that.");
        return true;
    }

    private static Task ChangedAsync(CliContext context, FailedBatchEntity row) =>
        context.Error.WriteLineAsync(
            $"{CliApp.Name}: {IdOf(row)} changed while this command ran (a retry run claimed, posted or parked it); see 'clocksync failed show {IdOf(row)}'.");

    /// <summary>
    /// Keeps the import's parked counters in step with an operator's park (+1) or re-queue of a parked row (-1), under
    /// the event's own key: the row change before it was ETag-guarded, so only one command gets to count each event.
    /// </summary>
    private static Task CountParkedAsync(OperatorServices services, FailedBatchEntity row, string eventKey, int direction, CancellationToken cancellationToken) =>
        services.Get<ImportStore>().RecordAdjustmentAsync(
            row.PartitionKey,
            eventKey,
            "operator",
            new PostingCounts(PunchesParked: direction * (long)row.RecordCount, BatchesParked: direction),
            cancellationToken);

    internal static string IdOf(FailedBatchEntity row) => $"{row.PartitionKey}/{row.RowKey}";

    private static string Row(string label, string value) => $"  {label,-13} {value}";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>The JSON shape of a row (records left out of <c>list</c>; <c>show --json</c> adds them).</summary>
    private sealed record FailedBatchView(
        string Id,
        string ImportId,
        int BatchNo,
        string State,
        int Records,
        int Attempts,
        DateTimeOffset NextAttemptUtc,
        int? LastErrorCode,
        int? LastHttpStatus,
        string? LastErrorMessage,
        string? LastLogId,
        string? ParkReason,
        DateTimeOffset? UpdatedUtc)
    {
        public static FailedBatchView From(FailedBatchEntity row) => new(
            IdOf(row), row.PartitionKey, row.BatchNo, row.State, row.RecordCount, row.AttemptCount, row.NextDueUtc,
            row.LastErrorCode, row.LastHttpStatus, row.LastErrorMessage, row.LastLogId, row.ParkReason, row.UpdatedUtc);
    }
}
