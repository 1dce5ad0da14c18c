using System.Globalization;
using ClockSync.FeishuSandbox;

namespace ClockSync.Cli.Demo;

/// <summary>The demo's closing summary, and the check that the sandbox ledger holds exactly what was posted.</summary>
internal static class DemoReport
{
    public const string OkLine = "OK: the Feishu ledger holds exactly the punches ClockSync posted, each once.";
    public const string MismatchPrefix = "MISMATCH:";

    public static async Task<int> WriteAsync(
        TextWriter output, int files, ImportProgress progress, IReadOnlyList<SandboxFlowRecord> ledger, TimeSpan elapsed)
    {
        var rows = progress.Imports;
        var firstPosts = rows.Sum(row => (long)row.Import.BatchesEnqueued);
        var distinct = ledger.Select(record => record.IdempotentId).Distinct(StringComparer.Ordinal).Count();
        var lines = new (string Label, long Value)[]
        {
            ("files", files),
            ("lines read", rows.Sum(row => row.Import.Lines)),
            ("punches accepted", rows.Sum(row => row.Import.Accepted)),
            ("rejected", rows.Sum(row => row.Import.Rejected)),
            ("duplicates", rows.Sum(row => row.Import.Duplicates)),
            ("batches", firstPosts),
            ("punches posted", progress.PunchesPosted),
            ("batch_create calls", rows.Sum(row => row.Posting.FeishuPosts)),
            ("  retried", Math.Max(0, rows.Sum(row => row.Posting.FeishuPosts) - firstPosts)),
            ("  throttled (429)", rows.Sum(row => row.Posting.Throttled)),
            ("punches parked", progress.PunchesParked),
            ("punches held", progress.PunchesHeld),
            ("Feishu ledger", ledger.Count),
        };

        await output.WriteLineAsync("ClockSync demo summary");
        foreach (var (label, value) in lines)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {label,-20}{value,8}"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"time taken",-20}{elapsed.TotalSeconds,7:0.0}s"));
        if (ledger.Count == progress.PunchesPosted && distinct == ledger.Count && progress.PunchesPosted + progress.PunchesParked + progress.PunchesHeld == progress.NewPunches)
        {
            await output.WriteLineAsync(OkLine);
            return ExitCodes.Ok;
        }

        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{MismatchPrefix} ledger {ledger.Count} records ({distinct} distinct) but ClockSync posted {progress.PunchesPosted}, parked {progress.PunchesParked} and held {progress.PunchesHeld} of {progress.NewPunches}."));
        return ExitCodes.Unexpected;
    }
}
