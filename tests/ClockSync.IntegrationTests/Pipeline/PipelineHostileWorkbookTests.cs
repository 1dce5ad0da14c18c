using ClockSync.Benchmarks.Generation;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Storage.ImportRows;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// A workbook built to exhaust memory is refused before the workbook library reads it: nothing is enqueued, the import
/// is final as unreadable, its report names the limit, and a normal workbook dropped beside it imports exactly.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineHostileWorkbookTests(AzuriteFixture azurite)
{
    /// <summary>Each kind of hostile workbook (generated here, never committed) and what its refusal must say.</summary>
    public static TheoryData<string, string> Hostile => new()
    {
        { "strings", "its part xl/sharedStrings.xml holds more than 262,144 shared strings (limit MaxSharedStrings); split the export" },
        { "bomb", "more than 200 times (limit MaxCompressionRatio): a zip bomb" },
        { "entries", "its zip lists 5,000 entries, more than 1,000 (limit MaxEntries)" },
        { "lying-size", "its part xl/sharedStrings.xml ends inside an element after 2,097,152 bytes: cut short" },
    };

    [Fact]
    public async Task A_workbook_of_millions_of_shared_strings_enqueues_nothing_and_its_neighbour_imports_exactly()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var hostile = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 2_000_000, length: 1, punches: 40));
        var normal = HostileWorkbooks.Bytes(output => HostileWorkbooks.Normal(output, 130));

        var refused = await harness.UploadAndIngestAsync("strings.xlsx", hostile);
        var imported = await harness.UploadAndIngestAsync("normal.xlsx", normal);
        await harness.DrainQueueAsync();
        var again = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("strings.xlsx"), CancellationToken.None);

        var report = await harness.ReportAsync("strings.xlsx");
        var row = await harness.Imports.GetAsync(refused.ImportId, CancellationToken.None);
        Assert.Equal((0, true), (refused.BatchesEnqueued, again.AlreadyIngested));
        Assert.Equal(ImportReport.Unreadable, report.Status);
        Assert.Contains(
            "the workbook is refused before reading: its part xl/sharedStrings.xml holds more than 262,144 shared strings (limit MaxSharedStrings); split the export into smaller files, or export it as CSV",
            report.Reason, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (report.NewPunches, report.Summary!.Punches));
        Assert.Equal((ImportState.Unreadable, report.Reason), (row!.State, row.Reason));

        // The sandbox holds exactly the normal workbook's punches, once each, and none of the refused one's.
        Assert.Equal(3, imported.BatchesEnqueued);
        AssertLedgerHoldsExactly(harness, 130);
    }

    /// <summary>
    /// Both files are in the container before either is ingested, and both are ingested at once, as two blob events
    /// arriving together would be: the refusal of one must not touch the other's run.
    /// </summary>
    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_workbook_dropped_beside_a_good_one_is_refused_naming_why_and_the_good_one_imports_exactly(string kind, string reason)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.Exports.CreateIfNotExistsAsync();
        var hostile = harness.Exports.GetBlobClient($"{kind}.xlsx");
        var good = harness.Exports.GetBlobClient("attendance.xlsx");
        await hostile.UploadAsync(BinaryData.FromBytes(HostileWorkbook(kind)));
        await good.UploadAsync(BinaryData.FromBytes(HostileWorkbooks.Bytes(output => HostileWorkbooks.Normal(output, 260))));

        var ingests = await Task.WhenAll(
            harness.Ingest.HandleAsync(hostile, CancellationToken.None),
            harness.Ingest.HandleAsync(good, CancellationToken.None));
        var queued = (await harness.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        await harness.DrainQueueAsync();

        var report = await harness.ReportAsync(hostile.Name);
        var row = await harness.Imports.GetAsync(ingests[0].ImportId, CancellationToken.None);
        Assert.Equal(ImportReport.Unreadable, report.Status);
        Assert.Contains("the workbook is refused before reading: its ", report.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, report.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 0L, 0L), (ingests[0].BatchesEnqueued, report.NewPunches, report.Summary!.Punches));
        Assert.Equal((ImportState.Unreadable, report.Reason), (row!.State, row.Reason));

        // Only the good file's 6 batches reached the queue, and the sandbox holds its punches exactly, once each.
        Assert.Equal((6, 6), (ingests[1].BatchesEnqueued, queued));
        Assert.Equal((ImportReport.Imported, 260L), ((await harness.ReportAsync(good.Name)).Status, (await harness.ReportAsync(good.Name)).NewPunches));
        AssertLedgerHoldsExactly(harness, 260);
    }

    private static byte[] HostileWorkbook(string kind) => kind switch
    {
        "strings" => HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 2_000_000, length: 1, punches: 40)),
        "bomb" => HostileWorkbooks.Bytes(output => HostileWorkbooks.ZipBomb(output, 64L << 20, punches: 40)),
        "entries" => HostileWorkbooks.Bytes(output => HostileWorkbooks.ManyEntries(output, 5_000, punches: 40)),
        "lying-size" => LyingSize(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of hostile workbook."),
    };

    /// <summary>Two million shared strings (32 MB unpacked) whose zip declares 2 MiB (under the 262,144 strings that limit would stop at): the zip library stops there, mid-element.</summary>
    private static byte[] LyingSize()
    {
        var bytes = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 2_000_000, length: 1, punches: 40));
        HostileWorkbooks.DeclareSharedStringsSize(bytes, 2 * 1024 * 1024);
        return bytes;
    }

    /// <summary>The sandbox's ledger is exactly the first <paramref name="punches"/> generated punches, each once.</summary>
    private static void AssertLedgerHoldsExactly(PipelineHarness harness, int punches)
    {
        var expected = HostileWorkbooks.Punches(punches)
            .Select(p => (p.User, new DateTimeOffset(p.Time, TimeSpan.FromHours(8)).ToUnixTimeSeconds()))
            .ToHashSet();
        var posted = harness.Sandbox.Ledger.Snapshot().Select(record => (record.UserId, record.CheckTimeSeconds)).ToList();
        Assert.Equal(punches, harness.LedgerIds().Count);
        Assert.Equal(expected, posted.ToHashSet());
        Assert.Equal(posted.Count, posted.Distinct().Count());
    }
}
