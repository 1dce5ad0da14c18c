using System.Globalization;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The ledger's cost does not depend on the export's row order: an export sorted by person reads each day about once.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineRowOrderTests(AzuriteFixture azurite)
{
    private const int CachedDays = 8;

    [Fact]
    public async Task An_export_sorted_by_person_over_more_days_than_the_ledger_caches_reads_each_day_about_once_and_every_punch_lands_once()
    {
        const int Users = 10;
        const int Days = 40;
        var tap = new TableRequestTap();
        await using var harness = await StartTappedAsync(tap);
        await harness.Services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(CancellationToken.None);
        var byPerson = (
            from user in Enumerable.Range(1, Users)
            from day in Enumerable.Range(0, Days)
            select (user.ToString(CultureInfo.InvariantCulture), new DateTime(2025, 3, 1, 8, user, 0).AddDays(day))).ToList();
        // One line twice, far from its first copy (another person's days between): counted once, as a duplicate.
        byPerson.Add(byPerson[5]);
        tap.Clear();

        var result = await harness.UploadAndIngestAsync("by-person.csv.dat", PipelineHarness.AttLog([.. byPerson]));
        var ledgerRequests = tap.SentTo(harness.Names.LedgerTable);
        await harness.DrainQueueAsync();

        // Each day is read on the way through the first person(s), until the order is seen to thrash; at most once more
        // when what was read in file order is claimed; and once in its span. Sorted by time it would be read once; before
        // spans, every (person, day) step re-read a day: about Users * Days.
        Assert.InRange(ledgerRequests, Days, 4 * Days);
        var report = await harness.ReportAsync("by-person.csv.dat");
        Assert.Equal((result.ImportId, (long)Users * Days, 0L), (report.ImportId, report.NewPunches, report.AlreadyImported));
        Assert.Equal((Users * Days + 1L, Users * Days * 1L, 1L, 0L), (report.Summary!.Lines, report.Summary.Punches, report.Summary.Duplicates, report.Summary.Rejected));
        Assert.Equal(Users * Days, harness.LedgerIds().Count);

        // The same punches again, as a cumulative re-export would bring them: all already imported, still about one read a day.
        tap.Clear();
        await harness.UploadAndIngestAsync("by-person-again.dat", PipelineHarness.AttLog([.. byPerson]));
        var again = await harness.ReportAsync("by-person-again.dat");

        Assert.InRange(tap.SentTo(harness.Names.LedgerTable), Days, 4 * Days);
        Assert.Equal((0L, again.Summary!.Punches), (again.NewPunches, again.AlreadyImported));
        Assert.Equal(Users * Days, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task An_export_sorted_by_person_over_more_days_than_one_pass_holds_lands_exactly_at_the_ledger_cost_of_time_order()
    {
        // 40 days against spans of 6 (8 days cached, less two): seven passes over the file, each bucketed by day.
        const int Users = 12;
        const int Days = 40;
        var punches = (
            from user in Enumerable.Range(1, Users)
            from day in Enumerable.Range(0, Days)
            from hour in new[] { 8, 18 }
            select (user.ToString(CultureInfo.InvariantCulture), new DateTime(2025, 3, 1, hour, user, user).AddDays(day))).ToList();
        var byPerson = PipelineHarness.AttLog([.. punches]);
        var byTime = PipelineHarness.AttLog([.. punches.OrderBy(punch => punch.Item2)]);

        var time = await IngestCountedAsync("by-time.dat", byTime);
        var person = await IngestCountedAsync("by-person.dat", byPerson);

        // Exactly the distinct punches, each once, either way.
        var expected = ExpectedIds.OfContent(byPerson, "by-person.dat");
        Assert.Equal(Users * Days * 2, expected.Count);
        Assert.Equal(expected, time.Ids);
        Assert.Equal(expected, person.Ids);

        // Each day read about once and claimed about once, whatever the order: the same ledger cost, within a fifth
        // (a span's last group is claimed short). Before day buckets, person order cost 2.7 times as much.
        Assert.InRange(time.Reads, Days, 3 * Days);
        Assert.InRange(person.Reads, Days, 3 * Days);
        Assert.InRange(person.Reads + person.Claims, 1, 1.2 * (time.Reads + time.Claims));
    }

    private async Task<(int Reads, int Claims, HashSet<string> Ids)> IngestCountedAsync(string name, string content)
    {
        var tap = new TableRequestTap();
        await using var harness = await StartTappedAsync(tap);
        await harness.Services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(CancellationToken.None);
        tap.Clear();
        await harness.UploadAndIngestAsync(name, content);
        var counted = (Reads: tap.SentTo(harness.Names.LedgerTable), Claims: tap.Transactions());
        await harness.DrainQueueAsync();
        return (counted.Reads, counted.Claims, harness.LedgerIds());
    }

    private Task<PipelineHarness> StartTappedAsync(TableRequestTap tap) =>
        PipelineHarness.StartWithPoliciesAsync(
            azurite, tables: tap, settings: new Dictionary<string, string?> { ["ClockSync:Storage:LedgerDaysCached"] = CachedDays.ToString(CultureInfo.InvariantCulture) });
}
