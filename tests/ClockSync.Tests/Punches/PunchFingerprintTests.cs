using System.Text.Json;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

public sealed class PunchFingerprintTests
{
    [Fact]
    public void Version_1_is_pinned_so_it_can_never_change_silently()
    {
        // sha256("v1|clock|7|1748825851|1")[0..16], computed independently (Python hashlib).
        var fingerprint = PunchFingerprint.Compute("clock", "7", 1748825851, "1");

        Assert.Equal("e5d43e511ae6865554317e1b6884bdd2", fingerprint.ToString());
    }

    [Fact]
    public void No_device_hashes_an_empty_device_part()
    {
        Assert.Equal("b18ae264f382feb8eafcc8102a56e3b6", PunchFingerprint.Compute("clock", "7", 1748825851, null).ToString());
        Assert.Equal(PunchFingerprint.Compute("clock", "7", 1748825851, null), PunchFingerprint.Compute("clock", "7", 1748825851, "  "));
    }

    [Fact]
    public void Bars_inside_a_part_are_escaped_so_parts_cannot_run_into_each_other()
    {
        // sha256("v1|clock|a\|b|1748825851|1")[0..16]
        Assert.Equal("18273cadd0476d62582e32806fbb2669", PunchFingerprint.Compute("clock", "a|b", 1748825851, "1").ToString());
        Assert.NotEqual(
            PunchFingerprint.Compute("clock|a", "b", 1748825851, "1"),
            PunchFingerprint.Compute("clock", "a|b", 1748825851, "1"));
    }

    [Fact]
    public void Each_part_changes_the_fingerprint()
    {
        var baseline = PunchFingerprint.Compute("clock", "7", 1748825851, "1");

        Assert.NotEqual(baseline, PunchFingerprint.Compute("other", "7", 1748825851, "1"));
        Assert.NotEqual(baseline, PunchFingerprint.Compute("clock", "8", 1748825851, "1"));
        Assert.NotEqual(baseline, PunchFingerprint.Compute("clock", "7", 1748825852, "1"));
        Assert.NotEqual(baseline, PunchFingerprint.Compute("clock", "7", 1748825851, "2"));
    }

    [Fact]
    public void Long_and_non_ascii_parts_hash_like_short_ones()
    {
        var longKey = new string('工', 2000);

        var first = PunchFingerprint.Compute("clock", longKey, 1748825851, "考勤机");
        var second = PunchFingerprint.Compute("clock", longKey, 1748825851, "考勤机");

        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{32}$", first.ToString());
    }

    [Fact]
    public void Text_form_parses_back_and_is_written_as_a_json_string()
    {
        var fingerprint = PunchFingerprint.Compute("clock", "7", 1748825851, "1");

        Assert.Equal(fingerprint, PunchFingerprint.Parse(fingerprint.ToString()));
        Assert.Equal("\"e5d43e511ae6865554317e1b6884bdd2\"", JsonSerializer.Serialize(fingerprint));
        Assert.Equal(fingerprint, JsonSerializer.Deserialize<PunchFingerprint>("\"e5d43e511ae6865554317e1b6884bdd2\""));
        Assert.False(PunchFingerprint.TryParse("E5D43E511AE6865554317E1B6884BDD2", out _));
        Assert.False(PunchFingerprint.TryParse("e5d43e", out _));
    }

    [Fact]
    public void Small_values_keep_their_leading_zeros()
    {
        Assert.Equal("00000000000000000000000000000001", new PunchFingerprint(UInt128.One).ToString());
    }

    [Fact]
    public void Every_digit_of_both_halves_is_written_as_the_framework_formats_it()
    {
        UInt128[] values = [UInt128.Zero, UInt128.MaxValue, new(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210), new(0xf000_0000_0000_000f, 0x1)];

        Assert.All(values, value => Assert.Equal(value.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), new PunchFingerprint(value).ToString()));
    }
}
