using ClockSync.Storage.Ledger;

namespace ClockSync.Tests.Storage;

public sealed class DayOwnersTests
{
    [Fact]
    public void Every_fingerprint_set_is_found_with_its_latest_owner_and_no_other_is()
    {
        var owners = new DayOwners();
        // Consecutive values land in every part; the high half alone differs in the last pair.
        var fingerprints = Enumerable.Range(0, 5000).Select(i => (UInt128)i * 0x9E37_79B9_7F4A_7C15UL).Append(new UInt128(1, 7)).Append(new UInt128(2, 7)).ToList();
        foreach (var (fingerprint, i) in fingerprints.Select((fingerprint, i) => (fingerprint, i)))
        {
            owners.Set(fingerprint, i);
        }

        owners.Set(fingerprints[3], -1);

        Assert.Equal(fingerprints.Count, owners.Count);
        Assert.All(fingerprints.Select((fingerprint, i) => (fingerprint, i)), entry =>
        {
            Assert.True(owners.TryGetValue(entry.fingerprint, out var owner));
            Assert.Equal(entry.i == 3 ? -1 : entry.i, owner);
        });
        Assert.False(owners.TryGetValue(new UInt128(3, 7), out var missing));
        Assert.Equal(0, missing);
        Assert.False(new DayOwners().TryGetValue(UInt128.Zero, out _));
    }
}
