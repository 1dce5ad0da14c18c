using ClockSync.Pipeline.Ingest;

namespace ClockSync.Tests.Pipeline;

/// <summary>The spans of days an export not in time order is routed by: bounded in days and in punches, in day order, covering every day once.</summary>
public sealed class ExportPassesWindowsTests
{
    [Fact]
    public void Spans_hold_at_most_the_given_days_and_punches_and_cover_every_day_once_in_order()
    {
        // Ten days of 30 punches, then a day of 250 (more than a span holds: a span of its own), then two of 10.
        var days = new SortedDictionary<long, int>();
        for (var day = 100L; day < 110; day++)
        {
            days[day] = 30;
        }

        days[115] = 250;
        days[116] = 10;
        days[120] = 10;

        var windows = ExportPasses.Windows(days, maxDays: 4, maxPunches: 100);

        Assert.Equal([(100L, 102L), (103L, 105L), (106L, 108L), (109L, 109L), (115L, 115L), (116L, 120L)], windows);
    }

    [Fact]
    public void No_days_make_no_spans()
    {
        Assert.Empty(ExportPasses.Windows([], maxDays: 4, maxPunches: 100));
    }
}
