using System.CommandLine;
using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using ClockSync.Exports;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.Pipeline;
using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Ledger;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Options;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync reconcile &lt;file&gt;</c>: checks that the punches the newest import of an export handed to Feishu are
/// there. The ledger keeps only fingerprints, so the export (the version the import read, pinned by ETag) is read again
/// as ingest reads it; the punches this import owns in the ledger, minus those still pending retry or parked, are
/// expected in Feishu. They are looked up with <c>user_flows/query</c>, one call per local day and 50 users, and matched
/// by <c>idempotent_id</c>/<c>external_id</c> (the fingerprint), or by user and check time.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The export's blob name (as uploaded)." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on stdout." };
        var command = new Command(
            "reconcile",
            "Query Feishu (user_flows/query) for the users and days of a file's newest import and report punches accepted " +
            "here but missing there. Exit code 8 when some are missing."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            file, json,
        };
        command.SetAction((parsed, cancellationToken) => OperatorCommand.RunAsync(context, needsFeishu: true, services =>
            RunAsync(context, services, parsed.GetRequiredValue(file), parsed.GetValue(json), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, OperatorServices services, string file, bool json, CancellationToken cancellationToken)
    {
        var storage = services.Get<PipelineStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        var blobPath = $"{storage.Options.ExportsContainer}/{file}";
        var import = (await services.Get<ImportStore>().ListAsync(cancellationToken))
            .Where(row => string.Equals(row.Blob, blobPath, StringComparison.Ordinal))
            .MaxBy(row => row.StartedUtc);

        if (import is null)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: no import of '{file}' (blob {blobPath}); 'clocksync status' lists the imports.");
            return ExitCodes.NotFound;
        }

        var options = services.Get<IOptions<PunchOptions>>().Value;
        var zone = PunchTimeZones.TryFind(options.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var punches = await OwnedPunchesAsync(context, services, storage, import, options, cancellationToken);
        if (punches is null)
        {
            return ExitCodes.NotFound;
        }

        var failures = services.Get<FailedBatchStore>();
        var failed = await failures.ListAsync(import.PartitionKey, cancellationToken);
        var pendingIds = await IdsOfAsync(failures, failed, FailedBatchEntity.Pending, cancellationToken);
        var parkedIds = await IdsOfAsync(failures, failed, FailedBatchEntity.Parked, cancellationToken);
        // Punches held for users Feishu does not know are not expected there either (until the mapping names them).
        var heldIds = (await services.Get<UnknownUserStore>().ListHeldAsync(null, cancellationToken))
            .Where(row => string.Equals(row.ImportId, import.PartitionKey, StringComparison.Ordinal))
            .Select(row => UnknownUserStore.RecordOf(row).IdempotentId)
            .ToHashSet(StringComparer.Ordinal);
        var expected = punches.Where(punch => punch.Fingerprint.ToString() is var id && !pendingIds.Contains(id) && !parkedIds.Contains(id) && !heldIds.Contains(id)).ToList();

        var client = services.Get<IFeishuAttendanceClient>();
        var byId = new HashSet<string>(StringComparer.Ordinal);
        var byUserAndTime = new HashSet<(string, long)>();
        var calls = 0;
        foreach (var day in expected.GroupBy(punch => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(punch.CheckTime), zone).Date))
        {
            var windows = FeishuQueryPlanner.ByDay(
                day.Select(punch => punch.UserId).Distinct(StringComparer.Ordinal).ToList(),
                DateTimeOffset.FromUnixTimeSeconds(day.Min(punch => punch.CheckTime)),
                DateTimeOffset.FromUnixTimeSeconds(day.Max(punch => punch.CheckTime)),
                zone);
            foreach (var window in windows)
            {
                calls++;
                var outcome = await client.QueryFlowsAsync(window.UserIds, window.CheckTimeFrom, window.CheckTimeTo, includeTerminatedUsers: true, cancellationToken);
                if (outcome is not FeishuQueryOutcome.Found flows)
                {
                    var error = outcome switch
                    {
                        FeishuQueryOutcome.TransientFailure transient => transient.Error,
                        FeishuQueryOutcome.AuthFailure auth => auth.Error,
                        FeishuQueryOutcome.PermanentFailure permanent => permanent.Error,
                        _ => new FeishuCallError(null, "unknown outcome", null, null),
                    };
                    await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{CliApp.Name}: Feishu query failed ({outcome.GetType().Name}, code {error.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, HTTP {error.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"}, log id {error.LogId ?? "none"}): {error.Message}"));
                    return ExitCodes.ServiceFailed;
                }

                foreach (var flow in flows.Flows)
                {
                    AddIfPresent(byId, flow.IdempotentId);
                    AddIfPresent(byId, flow.ExternalId);
                    byUserAndTime.Add((flow.UserId, flow.CheckTime));
                }
            }
        }

        var missing = expected
            .Where(punch => !byId.Contains(punch.Fingerprint.ToString()) && !byUserAndTime.Contains((punch.UserId, punch.CheckTime)))
            .Select(punch => new MissingPunch(punch.UserId, punch.CheckTime, Local(punch.CheckTime, zone), punch.Fingerprint.ToString(), punch.Line))
            .ToList();
        var result = new ReconcileResult(
            import.PartitionKey, import.Blob, punches.Count, expected.Count, pendingIds.Count, parkedIds.Count, heldIds.Count,
            expected.Select(punch => punch.UserId).Distinct(StringComparer.Ordinal).Count(), calls, missing);
        if (json)
        {
            await CliJson.WriteAsync(context.Out, result);
        }
        else
        {
            await WriteHumanAsync(context.Out, result);
        }

        return missing.Count == 0 ? ExitCodes.Ok : ExitCodes.Discrepancy;
    }

    /// <summary>The punches of the export the import owns in the ledger; null (after an error line) when the version is gone.</summary>
    private static async Task<List<Punch>?> OwnedPunchesAsync(
        CliContext context, OperatorServices services, PipelineStorage storage, ImportEntity import, PunchOptions options, CancellationToken cancellationToken)
    {
        var slash = import.Blob.IndexOf('/', StringComparison.Ordinal);
        var blob = storage.Blobs.GetBlobContainerClient(import.Blob[..slash]).GetBlobClient(import.Blob[(slash + 1)..]);
        var mapping = await services.Get<IdMappingSource>().LoadAsync(cancellationToken);
        var importer = new PunchImporter(options, context.Time, mapping);
        var days = new Dictionary<string, HashSet<UInt128>>(StringComparer.Ordinal);
        var owned = new List<Punch>();
        try
        {
            await using var content = await blob.OpenReadAsync(
                new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = new ETag(import.BlobETag) } },
                cancellationToken);
            using var export = ExportFileReader.Open(content, blob.Name, ExportReadOptions.Default, cancellationToken);
            foreach (var batch in importer.ReadBatches(export.Records, new ImportTally(options.MaxRejectionsListed), cancellationToken))
            {
                foreach (var punch in batch.Punches)
                {
                    var day = LedgerDays.DayOf(punch.CheckTime);
                    if (!days.TryGetValue(day, out var mine))
                    {
                        mine = await ImportLedger.OwnedOnDayAsync(storage, day, import.PartitionKey, cancellationToken);
                        days[day] = mine;
                    }

                    // An import made before identity v2 owns its punches under their version-1 fingerprints.
                    if (mine.Contains(punch.Fingerprint.Value) || mine.Contains(importer.Identity.Version1Of(punch).Value))
                    {
                        owned.Add(punch);
                    }
                }
            }
        }
        catch (RequestFailedException exception) when (exception.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
            await context.Error.WriteLineAsync(
                $"{CliApp.Name}: the export {import.Blob} read by import {import.PartitionKey} was deleted or replaced since; reconcile needs that version to know its punches.");
            return null;
        }
        catch (NotAClockExportException exception)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {import.Blob}: {exception.Message}");
            return null;
        }

        return owned;
    }

    private static async Task<HashSet<string>> IdsOfAsync(FailedBatchStore failures, IEnumerable<FailedBatchEntity> rows, string state, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Where(row => row.State == state))
        {
            ids.UnionWith((await failures.ReadRecordsAsync(row, cancellationToken)).Select(record => record.IdempotentId));
        }

        return ids;
    }

    private static void AddIfPresent(HashSet<string> set, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            set.Add(value);
        }
    }

    private static string Local(long unixSeconds, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static async Task WriteHumanAsync(TextWriter output, ReconcileResult result)
    {
        var lines = new List<string>
        {
            $"{result.Blob}: import {result.ImportId}",
            Invariant($"  owned punches {result.OwnedPunches} ({result.PendingRetry} pending retry, {result.Parked} parked, {result.Held} held for unknown users: not expected in Feishu yet)"),
            Invariant($"  checked       {result.Checked} punches of {result.Users} users in {result.QueryCalls} query calls"),
            Invariant($"  missing       {result.Missing.Count}"),
        };
        if (result.Missing.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add("Accepted here but missing in Feishu:");
            lines.AddRange(result.Missing.Select(punch => Invariant($"  line {punch.Line,-6} user {punch.UserId,-12} {punch.LocalTime}  {punch.IdempotentId}")));
        }

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record MissingPunch(string UserId, long CheckTime, string LocalTime, string IdempotentId, long Line);

    private sealed record ReconcileResult(
        string ImportId, string Blob, int OwnedPunches, int Checked, int PendingRetry, int Parked, int Held, int Users, int QueryCalls, IReadOnlyList<MissingPunch> Missing);
}
