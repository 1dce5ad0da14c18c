namespace ClockSync.Storage.Ledger;

/// <summary>
/// One ledger day's fingerprints with their packed owners, split over small dictionaries by the fingerprint's low bits.
/// One dictionary for a day of a few thousand punches outgrows 85,000 bytes, and every such array is a large-object
/// allocation: an ingest reading a day after another made enough of them to force full collections while it sent.
/// </summary>
internal sealed class DayOwners
{
    /// <summary>A power of two; keeps each part's arrays small up to some 60,000 punches a day.</summary>
    private const int Parts = 32;

    private readonly Dictionary<UInt128, long>?[] _parts = new Dictionary<UInt128, long>?[Parts];

    public int Count => _parts.Sum(part => part?.Count ?? 0);

    public bool TryGetValue(UInt128 fingerprint, out long owner)
    {
        if (_parts[PartOf(fingerprint)] is { } part)
        {
            return part.TryGetValue(fingerprint, out owner);
        }

        owner = 0;
        return false;
    }

    public void Set(UInt128 fingerprint, long owner) => (_parts[PartOf(fingerprint)] ??= [])[fingerprint] = owner;

    // Fingerprints are hash output, so their low bits spread punches evenly.
    private static int PartOf(UInt128 fingerprint) => (int)((ulong)fingerprint & (Parts - 1));
}
