using Azure.Data.Tables;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>Claims in the packed ledger: races between imports, and rows left by a run that died before committing.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineLedgerClaimTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Of_two_imports_claiming_the_same_punches_on_one_day_the_later_one_loses_exactly_the_overlap()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var storage = harness.Services.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var punches = Read(harness, PipelineHarness.Punches(30));
        var first = new ImportLedger(storage, "import-a", committedThrough: 0);
        var second = new ImportLedger(storage, "import-b", committedThrough: 0);

        // Both have read the day before either claims: the second claim is made on a stale view.
        Assert.Null(await first.OwnerOfAsync(punches[0], CancellationToken.None));
        Assert.Null(await second.OwnerOfAsync(punches[0], CancellationToken.None));
        var lostByFirst = await first.ClaimAsync(1, Numbered(punches[..20]), CancellationToken.None);
        var lostBySecond = await second.ClaimAsync(1, Numbered(punches[10..]), CancellationToken.None);

        Assert.Empty(lostByFirst);
        Assert.Equal(punches[10..20].Select(punch => punch.Fingerprint), lostBySecond.Select(punch => punch.Fingerprint));
        var reader = new ImportLedger(storage, "someone-else", committedThrough: 0);
        foreach (var (punch, i) in punches.Select((punch, i) => (punch, i)))
        {
            Assert.Equal(i < 20 ? "import-a" : "import-b", (await reader.OwnerOfAsync(punch, CancellationToken.None))?.ImportId);
        }
    }

    [Fact]
    public async Task A_day_read_in_several_pages_is_read_again_head_first_and_still_sees_every_claim_and_guards_the_next()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var storage = harness.Services.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var punches = Read(harness, PipelineHarness.Punches(30));
        var first = new ImportLedger(storage, "import-a", committedThrough: 0);
        // Three groups on one day: three claim rows and the head, so two rows a page makes two pages.
        for (var group = 0; group < 3; group++)
        {
            Assert.Empty(await first.ClaimAsync(group + 1, [.. punches[(group * 5)..(group * 5 + 5)].Select(punch => (punch, group + 1))], CancellationToken.None));
        }

        var paged = new ImportLedger(storage, "import-b", committedThrough: 0) { DayPageSize = 2 };
        foreach (var (punch, i) in punches.Select((punch, i) => (punch, i)))
        {
            Assert.Equal(i < 15 ? new LedgerOwner("import-a", i / 5 + 1) : null, await paged.OwnerOfAsync(punch, CancellationToken.None));
        }

        // The head read first carries the ETag: a claim made meanwhile by another import makes this one re-read and lose it.
        Assert.Empty(await first.ClaimAsync(4, [.. punches[15..20].Select(punch => (punch, 4))], CancellationToken.None));
        var lost = await paged.ClaimAsync(1, [.. punches[10..25].Select(punch => (punch, 1))], CancellationToken.None);

        Assert.Equal(punches[10..20].Select(punch => punch.Fingerprint), lost.Select(punch => punch.Fingerprint));
    }

    [Fact]
    public async Task A_day_with_more_punches_than_one_row_holds_is_claimed_in_several_rows_of_one_transaction()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var storage = harness.Services.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var sameMinute = Enumerable.Range(1, LedgerEntries.MaxPerRow + 500)
            .Select(user => (user.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateTime(2025, 6, 2, 9, 0, 0)))
            .ToArray();
        var punches = Read(harness, sameMinute);

        var lost = await new ImportLedger(storage, "import-a", committedThrough: 0).ClaimAsync(1, Numbered(punches), CancellationToken.None);

        Assert.Empty(lost);
        var reader = new ImportLedger(storage, "someone-else", committedThrough: 0);
        foreach (var (punch, i) in punches.Select((punch, i) => (punch, i)))
        {
            Assert.Equal(new LedgerOwner("import-a", i / 50 + 1), await reader.OwnerOfAsync(punch, CancellationToken.None));
        }

        var rows = 0;
        await foreach (var _ in storage.Ledger.QueryAsync<TableEntity>("RowKey ne 'head'", select: ["RowKey"]))
        {
            rows++;
        }

        Assert.Equal(2, rows);
    }

    [Fact]
    public async Task Two_overlapping_exports_ingested_at_once_post_every_punch_once_and_account_for_each_in_one_import()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.Exports.CreateIfNotExistsAsync();
        var morning = harness.Exports.GetBlobClient("morning.dat");
        var cumulative = harness.Exports.GetBlobClient("cumulative.dat");
        await morning.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(3000))));
        await cumulative.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(4000, startMinute: 1000))));

        var results = await Task.WhenAll(
            Task.Run(() => harness.Ingest.HandleAsync(morning, CancellationToken.None)),
            Task.Run(() => harness.Ingest.HandleAsync(cumulative, CancellationToken.None)));
        await harness.DrainQueueAsync();

        var reports = new[] { await harness.ReportAsync("morning.dat"), await harness.ReportAsync("cumulative.dat") };
        Assert.Equal(5000, harness.LedgerIds().Count);
        Assert.Equal(5000L, reports.Sum(report => report.NewPunches));
        Assert.Equal(2000L, reports.Sum(report => report.AlreadyImported));
        var accepted = harness.Sandbox.Requests.Snapshot()
            .Where(request => request.Endpoint == SandboxEndpoints.BatchCreate)
            .Sum(request => request.RecordCount ?? 0);
        Assert.Equal(5000, accepted);
        foreach (var result in results)
        {
            var totals = await harness.Imports.GetTotalsAsync(result.ImportId, CancellationToken.None);
            Assert.Equal(totals!.Import.NewPunches, totals.Posting.PunchesPosted);
        }
    }

    [Fact]
    public async Task A_group_claimed_by_a_run_that_died_before_committing_is_numbered_afresh_and_its_stale_row_removed()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var storage = harness.Services.GetRequiredService<PipelineStorage>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await harness.Exports.CreateIfNotExistsAsync();
        var blob = harness.Exports.GetBlobClient("died.dat");
        await blob.UploadAsync(BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(120))));
        var importId = ImportIds.For(blob.BlobContainerName, blob.Name, (await blob.GetPropertiesAsync()).Value.ETag.ToString());

        // The dead run: its first group (batch numbers 5.. as if numbered differently) claimed, never committed, never sent.
        var punches = Read(harness, PipelineHarness.Punches(120));
        Assert.Equal(120, punches.Count);
        var dead = new ImportLedger(storage, importId, committedThrough: 0);
        await dead.ClaimAsync(5, punches[..70].Select(punch => (punch, 5)).ToList(), CancellationToken.None);
        var staleKey = LedgerClaimEntity.RowKeyFor(importId, 5, 0);

        var result = await harness.Ingest.HandleAsync(blob, CancellationToken.None);
        await harness.DrainQueueAsync();

        Assert.Equal(3, result.BatchesEnqueued);
        Assert.Equal(120, harness.LedgerIds().Count);
        var report = await harness.ReportAsync("died.dat");
        Assert.Equal((120L, 0L, 3), (report.NewPunches, report.AlreadyImported, report.Batches));
        var rows = new List<string>();
        await foreach (var row in storage.Ledger.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            rows.Add(row.RowKey);
        }

        Assert.DoesNotContain(staleKey, rows);
        Assert.Contains(LedgerClaimEntity.RowKeyFor(importId, 1, 0), rows);
    }

    /// <summary>The punches the pipeline makes of these lines (same options, so the same fingerprints).</summary>
    [Fact]
    public async Task The_ledger_holds_at_most_the_configured_days_and_reads_a_dropped_day_again_when_it_is_needed()
    {
        await using var harness = await StartWithTwoDaysCachedAsync();
        var storage = harness.Services.GetRequiredService<PipelineStorage>();
        var days = ThreeDays(harness);
        // Owned by another import: a look-up finds them, so no day waits for a claim of this one.
        Assert.Empty(await new ImportLedger(storage, "import-b", committedThrough: 0).ClaimAsync(1, Numbered(days), CancellationToken.None));
        var ledger = new ImportLedger(storage, "import-a", committedThrough: 0);

        foreach (var punch in days)
        {
            await ledger.OwnerOfAsync(punch, CancellationToken.None);
        }

        await ledger.OwnerOfAsync(days[2], CancellationToken.None);
        var whileHeld = ledger.DayReads;
        await ledger.OwnerOfAsync(days[0], CancellationToken.None);

        Assert.Equal((3, 4), (whileHeld, ledger.DayReads));
    }

    [Fact]
    public async Task The_ledger_keeps_a_day_past_the_configured_days_while_its_new_punches_wait_for_their_claim_and_drops_it_after()
    {
        await using var harness = await StartWithTwoDaysCachedAsync();
        var storage = harness.Services.GetRequiredService<PipelineStorage>();
        var days = ThreeDays(harness);
        var ledger = new ImportLedger(storage, "import-a", committedThrough: 0);
        foreach (var punch in days)
        {
            Assert.Null(await ledger.OwnerOfAsync(punch, CancellationToken.None));
        }

        // The claim, running behind the reader, finds its days still held: no day is read twice.
        Assert.Empty(await ledger.ClaimAsync(1, Numbered(days), CancellationToken.None));
        var claimed = ledger.DayReads;

        // Claimed, the days are ordinary again: past two, the least recent goes and is read again when needed.
        await ledger.OwnerOfAsync(days[2], CancellationToken.None);
        var punchOnAFourthDay = Read(harness, [("1", new DateTime(2025, 6, 5, 9, 0, 0))])[0];
        Assert.Null(await ledger.OwnerOfAsync(punchOnAFourthDay, CancellationToken.None));
        Assert.Equal("import-a", (await ledger.OwnerOfAsync(days[0], CancellationToken.None))?.ImportId);

        Assert.Equal((3, 5), (claimed, ledger.DayReads));
    }

    private static List<Punch> Read(PipelineHarness harness, (string User, DateTime Time)[] punches)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(PipelineHarness.AttLog(punches)));
        using var export = ClockSync.Exports.ExportFileReader.Open(stream, "ledger_attlog.dat", ClockSync.Exports.ExportReadOptions.Default);
        var importer = new PunchImporter(harness.Services.GetRequiredService<IOptions<PunchOptions>>().Value, harness.Time);
        return importer.ReadBatches(export.Records, new ImportTally(), CancellationToken.None).SelectMany(batch => batch.Punches).ToList();
    }

    private async Task<PipelineHarness> StartWithTwoDaysCachedAsync()
    {
        var harness = await PipelineHarness.StartAsync(azurite, settings: new Dictionary<string, string?> { ["ClockSync:Storage:LedgerDaysCached"] = "2" });
        await harness.Services.GetRequiredService<PipelineStorage>().EnsureCreatedAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>One punch on each of three consecutive days.</summary>
    private static List<Punch> ThreeDays(PipelineHarness harness) =>
        Read(harness, [("1", new DateTime(2025, 6, 2, 9, 0, 0)), ("1", new DateTime(2025, 6, 3, 9, 0, 0)), ("1", new DateTime(2025, 6, 4, 9, 0, 0))]);

    private static List<(Punch Punch, int BatchNo)> Numbered(IEnumerable<Punch> punches) =>
        punches.Select((punch, i) => (punch, i / 50 + 1)).ToList();
}
