using System.Text.Json;
using ClockSync.Punches;
using CsCheck;

namespace ClockSync.Tests.Punches;

public sealed class PunchFingerprintTests
{
    [Fact]
    public void Version_2_is_pinned_so_it_can_never_change_silently()
    {
        // Computed independently (Python hashlib), H(x) = sha256(x)[0..16] big-endian; 1748825851 is second 31 of the
        // minute starting at 1748825820.
        // H("v2|clock|7|1748825820") ^ H("v2|second|31")
        Assert.Equal("e4f64b97a1f62dc0662c38679d6a55f0", PunchFingerprint.Compute("clock", "7", 1748825851).ToString());

        // H("v2|clock|7|1748825820") ^ H("v2|minute"), for any second of that minute
        Assert.Equal("3ce40b6bcad0df2db07b4ed8c2829fd7", PunchFingerprint.ComputeMinute("clock", "7", 1748825820).ToString());
        Assert.Equal("3ce40b6bcad0df2db07b4ed8c2829fd7", PunchFingerprint.ComputeMinute("clock", "7", 1748825851).ToString());

        // H("v2|clock|a\|b|1748825820") ^ H("v2|second|31"): escaping as in version 1
        Assert.Equal("bed775bb97b553f26f45251668dfcc2f", PunchFingerprint.Compute("clock", "a|b", 1748825851).ToString());
    }

    [Fact]
    public void Version_2_is_the_user_at_the_second_whatever_the_device_or_format()
    {
        var identity = new PunchIdentity("clock");

        var attlog = identity.Of("7", 1748825851, minuteOnly: false, device: "1");
        var push = identity.Of("7", 1748825851, minuteOnly: false, device: null);
        var csv = identity.Of("7", 1748825851, minuteOnly: false, device: "CKJ4212345");

        Assert.Equal(attlog, push);
        Assert.Equal(attlog, csv);
        Assert.NotEqual(PunchFingerprint.ComputeV1("clock", "7", 1748825851, "1"), PunchFingerprint.ComputeV1("clock", "7", 1748825851, "CKJ4212345"));
    }

    [Fact]
    public void Version_2_differs_for_any_other_user_second_source_or_precision()
    {
        Gen.Select(Gen.Long[1_600_000_000, 1_900_000_000], Gen.Int[1, 100_000], Gen.String[Gen.Char.AlphaNumeric, 1, 8]).Sample((time, step, user) =>
        {
            var baseline = PunchFingerprint.Compute("clock", user, time);
            Assert.NotEqual(baseline, PunchFingerprint.Compute("clock", user, time + step));
            Assert.NotEqual(baseline, PunchFingerprint.Compute("clock", user + "x", time));
            Assert.NotEqual(baseline, PunchFingerprint.Compute("other", user, time));
            Assert.NotEqual(baseline, PunchFingerprint.ComputeMinute("clock", user, time));
            Assert.NotEqual(baseline, PunchFingerprint.ComputeV1("clock", user, time, null));
        }, iter: 500);
    }

    [Fact]
    public void Minute_aliases_are_exactly_the_60_seconds_of_the_minute_and_need_no_hashing_to_derive()
    {
        Gen.Select(Gen.Long[1_600_000_000, 1_900_000_000], Gen.String[Gen.Char.AlphaNumeric, 1, 8]).Sample((time, user) =>
        {
            var identity = new PunchIdentity("clock");
            var minute = PunchFingerprint.MinuteStart(time);
            var minuteOnly = Punch(user, minute, identity.Of(user, minute, minuteOnly: true, device: null), minuteOnly: true);
            Span<UInt128> aliases = stackalloc UInt128[PunchIdentity.MaxMinuteAliases];

            var count = identity.MinuteAliases(minuteOnly, minuteOnlyKnown: false, aliases);

            Assert.Equal(60, count);
            var expected = Enumerable.Range(0, 60).Select(second => PunchFingerprint.Compute("clock", user, minute + second).Value).ToArray();
            Assert.Equal(expected, aliases.ToArray());

            var withSeconds = Punch(user, time, identity.Of(user, time, minuteOnly: false, device: "1"), minuteOnly: false);
            Assert.Equal(0, identity.MinuteAliases(withSeconds, minuteOnlyKnown: false, aliases));
            Assert.Equal(1, identity.MinuteAliases(withSeconds, minuteOnlyKnown: true, aliases));
            Assert.Equal(PunchFingerprint.ComputeMinute("clock", user, time).Value, aliases[0]);
        }, iter: 200);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59, 0)]
    [InlineData(60, 60)]
    [InlineData(-1, -60)]
    [InlineData(-60, -60)]
    [InlineData(-61, -120)]
    public void A_minute_starts_at_a_multiple_of_60_also_before_1970(long time, long start)
    {
        Assert.Equal(start, PunchFingerprint.MinuteStart(time));
    }

    [Fact]
    public void Version_1_of_a_punch_is_what_an_older_release_sent_for_it()
    {
        var identity = new PunchIdentity("clock");
        var punch = Punch("7", 1748825851, identity.Of("7", 1748825851, minuteOnly: false, device: "1"), minuteOnly: false) with { Device = "1" };

        Assert.Equal("e5d43e511ae6865554317e1b6884bdd2", identity.Version1Of(punch).ToString());
        Assert.Equal(identity.Version1Of(punch), new PunchIdentity("clock") { Version1 = true }.Of("7", 1748825851, minuteOnly: false, device: "1"));
    }

    private static Punch Punch(string user, long time, PunchFingerprint fingerprint, bool minuteOnly) =>
        new(1, user, user, time, null, null, "考勤机", "考勤机", fingerprint) { MinuteOnly = minuteOnly };

    [Fact]
    public void Version_1_is_pinned_so_it_can_never_change_silently()
    {
        // sha256("v1|clock|7|1748825851|1")[0..16], computed independently (Python hashlib).
        var fingerprint = PunchFingerprint.ComputeV1("clock", "7", 1748825851, "1");

        Assert.Equal("e5d43e511ae6865554317e1b6884bdd2", fingerprint.ToString());
    }

    [Fact]
    public void No_device_hashes_an_empty_device_part()
    {
        Assert.Equal("b18ae264f382feb8eafcc8102a56e3b6", PunchFingerprint.ComputeV1("clock", "7", 1748825851, null).ToString());
        Assert.Equal(PunchFingerprint.ComputeV1("clock", "7", 1748825851, null), PunchFingerprint.ComputeV1("clock", "7", 1748825851, "  "));
    }

    [Fact]
    public void Bars_inside_a_part_are_escaped_so_parts_cannot_run_into_each_other()
    {
        // sha256("v1|clock|a\|b|1748825851|1")[0..16]
        Assert.Equal("18273cadd0476d62582e32806fbb2669", PunchFingerprint.ComputeV1("clock", "a|b", 1748825851, "1").ToString());
        Assert.NotEqual(
            PunchFingerprint.ComputeV1("clock|a", "b", 1748825851, "1"),
            PunchFingerprint.ComputeV1("clock", "a|b", 1748825851, "1"));
    }

    [Fact]
    public void Each_part_changes_the_fingerprint()
    {
        var baseline = PunchFingerprint.ComputeV1("clock", "7", 1748825851, "1");

        Assert.NotEqual(baseline, PunchFingerprint.ComputeV1("other", "7", 1748825851, "1"));
        Assert.NotEqual(baseline, PunchFingerprint.ComputeV1("clock", "8", 1748825851, "1"));
        Assert.NotEqual(baseline, PunchFingerprint.ComputeV1("clock", "7", 1748825852, "1"));
        Assert.NotEqual(baseline, PunchFingerprint.ComputeV1("clock", "7", 1748825851, "2"));
    }

    [Fact]
    public void Long_and_non_ascii_parts_hash_like_short_ones()
    {
        var longKey = new string('工', 2000);

        var first = PunchFingerprint.ComputeV1("clock", longKey, 1748825851, "考勤机");
        var second = PunchFingerprint.ComputeV1("clock", longKey, 1748825851, "考勤机");

        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{32}$", first.ToString());
    }

    [Fact]
    public void Text_form_parses_back_and_is_written_as_a_json_string()
    {
        var fingerprint = PunchFingerprint.ComputeV1("clock", "7", 1748825851, "1");

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
