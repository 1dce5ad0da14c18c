using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

/// <summary>The importer's bounded in-file dedupe (<c>dedupeDays</c>), which the pipeline uses to keep memory flat.</summary>
public sealed class DedupeWindowTests
{
    private static readonly DateTime Start = new(2025, 6, 2, 8, 0, 0);

    private static RawRecord Line(int line, string user, DateTime time) =>
        Records.Punch(line, user, time.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));

    private static ImportTally Read(int? dedupeDays, params RawRecord[] records)
    {
        var tally = new ImportTally();
        _ = new PunchImporter(new PunchOptions(), Records.Now(), dedupeDays: dedupeDays)
            .ReadBatches(records, tally, CancellationToken.None).ToList();
        return tally;
    }

    [Fact]
    public void A_copy_within_the_window_of_days_is_a_duplicate_even_after_other_days_came_between()
    {
        var tally = Read(2,
            Line(1, "7", Start),
            Line(2, "7", Start.AddDays(1)),
            Line(3, "7", Start));

        Assert.Equal((2L, 1L), (tally.Punches, tally.Duplicates));
    }

    [Fact]
    public void A_copy_after_its_day_left_the_window_is_let_through_for_the_caller_to_catch_while_no_window_catches_it()
    {
        RawRecord[] records = [Line(1, "7", Start), Line(2, "7", Start.AddDays(1)), Line(3, "7", Start.AddDays(2)), Line(4, "7", Start)];

        var windowed = Read(2, records);
        var whole = Read(null, records);

        Assert.Equal((4L, 0L), (windowed.Punches, windowed.Duplicates));
        Assert.Equal((3L, 1L), (whole.Punches, whole.Duplicates));
    }

    [Fact]
    public void Recounting_a_punch_as_a_duplicate_keeps_every_line_accounted_for()
    {
        var tally = Read(1, Line(1, "7", Start), Line(2, "7", Start.AddDays(1)), Line(3, "7", Start));

        tally.RecountAsDuplicate();

        Assert.Equal((3L, 2L, 1L), (tally.Lines, tally.Punches, tally.Duplicates));
        Assert.Equal(tally.Lines, tally.Skipped + tally.Punches + tally.Duplicates + tally.Rejected);
    }
}
