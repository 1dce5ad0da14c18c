using ClockSync.Punches;
using CsCheck;

namespace ClockSync.Tests.Robustness;

/// <summary>The importer's fingerprint set answers exactly as a <see cref="HashSet{T}"/> would, through every growth.</summary>
public sealed class FingerprintSetPropertyTests
{
    // Few distinct values (so repeats are common), zero included, and both halves of the 128 bits varying.
    private static readonly Gen<UInt128> Fingerprint = Gen.OneOf(
        Gen.Const(UInt128.Zero),
        Gen.ULong[0, 50].Select(low => new UInt128(0, low)),
        Gen.Select(Gen.ULong[0, 3], Gen.ULong[0, 3], (high, low) => new UInt128(high, low)),
        Gen.Select(Gen.ULong, Gen.ULong, (high, low) => new UInt128(high, low)));

    [Fact]
    public void Add_and_Contains_agree_with_a_hash_set_for_any_sequence()
    {
        Fingerprint.Array[0, 5000].Sample(values =>
        {
            var set = new FingerprintSet();
            var reference = new HashSet<UInt128>();
            foreach (var value in values)
            {
                Assert.Equal(reference.Contains(value), set.Contains(value));
                Assert.Equal(reference.Add(value), set.Add(value));
                Assert.True(set.Contains(value));
            }

            Assert.Equal(reference.Count, set.Count);
        }, iter: 200);
    }

    [Fact]
    public void Every_fingerprint_added_stays_known_after_many_growths()
    {
        var set = new FingerprintSet();
        var random = new Random(7);
        var added = new List<UInt128>();
        for (var i = 0; i < 200_000; i++)
        {
            var value = new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64());
            Assert.True(set.Add(value));
            added.Add(value);
        }

        Assert.All(added, value => Assert.False(set.Add(value)));
        Assert.Equal(200_000, set.Count);
    }
}
