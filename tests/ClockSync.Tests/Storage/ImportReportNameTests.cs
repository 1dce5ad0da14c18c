using ClockSync.Storage.Reports;

namespace ClockSync.Tests.Storage;

/// <summary>The report's blob name derived from an export's name: safe for any name a sender can choose, distinct for distinct exports.</summary>
public sealed class ImportReportNameTests
{
    [Theory]
    [InlineData("1_attlog.dat", "1_attlog.dat.json")]
    [InlineData("site-a/2025/june.csv", "site-a/2025/june.csv.json")]
    [InlineData("考勤/六月 报表.xlsx", "考勤/六月 报表.xlsx.json")]
    [InlineData("a.b..c/d", "a.b..c/d.json")]
    public void A_safe_name_is_kept_as_it_is(string export, string report) =>
        Assert.Equal(report, ImportReportStore.NameFor(export));

    [Theory]
    [InlineData("../other/x.dat")]
    [InlineData("a/../../x.dat")]
    [InlineData("./x.dat")]
    [InlineData("a/./x.dat")]
    [InlineData("%2e%2e/other/x.dat")]
    [InlineData("%2E%2E/other/x.dat")]
    [InlineData(".%2e/other/x.dat")]
    [InlineData("%2e/x.dat")]
    [InlineData("a/..")]
    public void Dot_segments_plain_or_percent_encoded_are_replaced(string export)
    {
        var name = ImportReportStore.NameFor(export);

        Assert.All(Segments(name), segment => Assert.False(IsDotSegment(segment), $"{name} keeps a dot segment"));
        Assert.EndsWith(".json", name, StringComparison.Ordinal);
        Assert.Matches("~[0-9a-f]{16}\\.json$", name);
    }

    [Theory]
    [InlineData("/x.dat")]
    [InlineData("a//x.dat")]
    [InlineData("a/x.dat/")]
    [InlineData("a\\..\\x.dat")]
    public void Empty_segments_and_backslashes_are_removed(string export)
    {
        var name = ImportReportStore.NameFor(export);

        Assert.DoesNotContain("//", name, StringComparison.Ordinal);
        Assert.DoesNotContain('\\', name);
        Assert.False(name.StartsWith('/'));
        Assert.All(Segments(name), segment => Assert.NotEmpty(segment));
    }

    [Fact]
    public void Control_characters_are_replaced()
    {
        var name = ImportReportStore.NameFor("clock\u0000\u0007\r\n\u007f\u0085.dat");

        Assert.DoesNotContain(name, char.IsControl);
        Assert.StartsWith("clock______.dat~", name, StringComparison.Ordinal);
    }

    [Fact]
    public void A_1024_character_name_is_cut_to_the_limit_with_a_hash_and_two_long_names_never_collide()
    {
        var common = new string('a', 1020);
        var first = ImportReportStore.NameFor(common + "0001");
        var second = ImportReportStore.NameFor(common + "0002");

        Assert.Equal(ImportReportStore.MaxBlobNameLength, first.Length);
        Assert.True(second.Length <= ImportReportStore.MaxBlobNameLength);
        Assert.NotEqual(first, second);
        Assert.Matches("~[0-9a-f]{16}\\.json$", first);
    }

    [Fact]
    public void A_name_that_just_fits_is_kept_and_one_character_more_is_cut()
    {
        var fits = new string('b', ImportReportStore.MaxBlobNameLength - ".json".Length);

        Assert.Equal(fits + ".json", ImportReportStore.NameFor(fits));
        Assert.Equal(ImportReportStore.MaxBlobNameLength, ImportReportStore.NameFor(fits + "b").Length);
    }

    [Fact]
    public void A_long_unicode_name_is_not_cut_inside_a_character()
    {
        var name = ImportReportStore.NameFor(string.Concat(Enumerable.Repeat("😀", 600)));

        Assert.True(name.Length <= ImportReportStore.MaxBlobNameLength);
        Assert.All(Enumerable.Range(0, name.Length), i => Assert.False(char.IsHighSurrogate(name[i]) && (i + 1 == name.Length || !char.IsLowSurrogate(name[i + 1]))));
    }

    [Theory]
    [InlineData("../x.dat", "__/x.dat")]
    [InlineData("a//x.dat", "a/x.dat")]
    [InlineData("x.dat\n", "x.dat_")]
    public void A_changed_name_never_takes_the_report_of_the_export_it_now_resembles(string changed, string plain) =>
        Assert.NotEqual(ImportReportStore.NameFor(plain), ImportReportStore.NameFor(changed));

    private static string[] Segments(string name) => name.Split('/');

    private static bool IsDotSegment(string segment) =>
        segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase) is "." or "..";
}
