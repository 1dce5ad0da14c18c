using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

public sealed class PunchImporterTests
{
    private static PunchImporter Importer(PunchOptions? options = null, IdMapping? mapping = null) =>
        new(options ?? new PunchOptions(), Records.Now(), mapping);

    private static IEnumerable<RawRecord> Punches(int count, int firstLine = 1)
    {
        var start = new DateTime(2025, 6, 2, 8, 0, 0);
        for (var i = 0; i < count; i++)
        {
            yield return Records.Punch(firstLine + i, (i % 17).ToString(System.Globalization.CultureInfo.InvariantCulture), start.AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData(120, 50, new[] { 50, 50, 20 })]
    [InlineData(100, 50, new[] { 50, 50 })]
    [InlineData(15, 7, new[] { 7, 7, 1 })]
    [InlineData(1, 50, new[] { 1 })]
    [InlineData(0, 50, new int[0])]
    public void Punches_come_in_batches_of_at_most_the_batch_size_in_file_order(int count, int batchSize, int[] sizes)
    {
        var tally = new ImportTally();

        var batches = Importer(new PunchOptions { BatchSize = batchSize }).ReadBatches(Punches(count), tally, CancellationToken.None).ToList();

        Assert.Equal(sizes, batches.Select(b => b.Punches.Count));
        Assert.Equal(Enumerable.Range(1, sizes.Length), batches.Select(b => b.Number));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), batches.SelectMany(b => b.Punches).Select(p => p.Line));
        Assert.Equal(sizes.Length, tally.Batches);
    }

    [Fact]
    public void A_batch_size_above_50_is_a_validation_error_not_a_bigger_batch()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Importer(new PunchOptions { BatchSize = 51 }));
    }

    [Fact]
    public void Raising_the_batch_size_after_validation_does_not_raise_it_above_50()
    {
        var options = new PunchOptions();
        var importer = Importer(options);
        options.BatchSize = 500;

        var batches = importer.ReadBatches(Punches(120), new ImportTally(), CancellationToken.None).ToList();

        Assert.All(batches, b => Assert.True(b.Punches.Count <= 50));
    }

    [Fact]
    public void Batches_are_produced_while_reading_not_after_the_whole_file()
    {
        var read = 0;
        IEnumerable<RawRecord> Counting()
        {
            foreach (var record in Punches(1000))
            {
                read++;
                yield return record;
            }
        }

        using var batches = Importer().ReadBatches(Counting(), new ImportTally(), CancellationToken.None).GetEnumerator();

        Assert.True(batches.MoveNext());
        Assert.Equal(50, read);
    }

    [Fact]
    public void Same_user_and_second_is_a_duplicate_whatever_the_device_and_is_dropped()
    {
        RawRecord[] records =
        [
            Records.Punch(1, "7", "2025-06-02 08:57:31", device: "1"),
            Records.Punch(2, "7", "2025-06-02 08:57:31", device: "1", direction: "1"),
            Records.Punch(3, "7", "2025-06-02 08:57:31.500", device: " 1 "),
            Records.Punch(4, "7", "2025-06-02 08:57:31", device: "2"),
            Records.Punch(5, "8", "2025-06-02 08:57:31", device: "1"),
            Records.Punch(6, "7", "2025-06-02 08:57:32", device: "1"),
        ];
        var tally = new ImportTally();

        var punches = Importer().ReadBatches(records, tally, CancellationToken.None).SelectMany(b => b.Punches).ToList();

        Assert.Equal([1L, 5, 6], punches.Select(p => p.Line));
        Assert.Equal(3, tally.Duplicates);
        Assert.Equal(3, tally.Punches);
    }

    [Fact]
    public void Every_line_is_accounted_for_and_the_summary_counts_users_and_times()
    {
        RawRecord[] records =
        [
            RawRecord.Skipped(1),
            Records.Punch(2, "7", "2025-06-02 08:57:31"),
            Records.Punch(3, "18", "2025-06-02 09:02:10"),
            Records.Punch(4, "7", "2025-06-02 08:57:31"),
            Records.Punch(5, "7", "2000-01-01 00:00:00"),
            RawRecord.Rejected(6, "time", "time \"x\" is not a date-time"),
            Records.Punch(7, "A1034", "2025-06-02 07:00:00"),
            Records.Punch(8, "7", "2099-01-01 00:00:00"),
            RawRecord.Skipped(9),
        ];
        var importer = Importer();
        var tally = new ImportTally();

        _ = importer.ReadBatches(records, tally, CancellationToken.None).ToList();
        var summary = tally.ToSummary("1_attlog.dat", "attlog", "UTF-8", "Asia/Shanghai");

        Assert.Equal(9, summary.Lines);
        Assert.Equal(summary.Lines, summary.Skipped + summary.Punches + summary.Duplicates + summary.Rejected);
        Assert.Equal((2L, 3L, 1L, 3L), (summary.Skipped, summary.Punches, summary.Duplicates, summary.Rejected));
        Assert.Equal([5L, 6, 8], summary.Rejections.Select(r => r.Line));
        Assert.Equal(3, summary.Users);
        Assert.Equal(1, summary.Batches);
        Assert.Equal(Records.Shanghai(2025, 6, 2, 7, 0, 0), summary.FirstCheckTime);
        Assert.Equal(Records.Shanghai(2025, 6, 2, 9, 2, 10), summary.LastCheckTime);
    }

    [Fact]
    public void Only_the_first_rejections_are_listed_but_all_are_counted()
    {
        var records = Enumerable.Range(1, 25).Select(i => RawRecord.Rejected(i, "time", "bad"));
        var tally = new ImportTally(maxRejectionsListed: 10);

        _ = Importer().ReadBatches(records, tally, CancellationToken.None).ToList();
        var summary = tally.ToSummary("f", "csv", "UTF-8", null);

        Assert.Equal(25, summary.Rejected);
        Assert.Equal(10, summary.Rejections.Count);
        Assert.Equal(15, summary.RejectionsOmitted);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), summary.Rejections.Select(r => r.Line));
    }

    [Fact]
    public void An_empty_file_has_no_times()
    {
        var tally = new ImportTally();

        _ = Importer().ReadBatches([], tally, CancellationToken.None).ToList();
        var summary = tally.ToSummary("empty.csv", "csv", "UTF-8", null);

        Assert.Equal(0, summary.Lines);
        Assert.Null(summary.FirstCheckTime);
        Assert.Null(summary.LastCheckTime);
        Assert.Equal(0, summary.Batches);
    }

    [Fact]
    public void The_same_punches_give_the_same_fingerprints_in_another_run()
    {
        var first = Importer().ReadBatches(Punches(60), new ImportTally(), CancellationToken.None).SelectMany(b => b.Punches).Select(p => p.Fingerprint).ToList();
        var second = Importer().ReadBatches(Punches(60, firstLine: 1000), new ImportTally(), CancellationToken.None).SelectMany(b => b.Punches).Select(p => p.Fingerprint).ToList();

        Assert.Equal(first, second);
        Assert.Equal(60, first.Distinct().Count());
    }

    [Fact]
    public void Cancellation_stops_the_read()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => Importer().ReadBatches(Punches(10), new ImportTally(), cancellation.Token).ToList());
    }
}
