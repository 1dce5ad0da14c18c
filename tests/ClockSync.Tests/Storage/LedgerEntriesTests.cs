using ClockSync.Storage.Ledger;

namespace ClockSync.Tests.Storage;

public sealed class LedgerEntriesTests
{
    [Fact]
    public void Entries_round_trip_with_their_batch_numbers_in_order()
    {
        (UInt128, int)[] entries = [(UInt128.MaxValue, 1), (UInt128.Zero, 40), (new UInt128(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210), int.MaxValue)];

        var bytes = LedgerEntries.Encode(entries);

        Assert.Equal(entries.Length * LedgerEntries.EntrySize, bytes.Length);
        Assert.Equal(entries, LedgerEntries.Decode(bytes));
    }

    [Fact]
    public void A_full_row_fits_the_table_services_64_KiB_binary_property_and_one_more_entry_is_refused()
    {
        var full = Enumerable.Range(0, LedgerEntries.MaxPerRow).Select(i => ((UInt128)i, i)).ToList();

        Assert.True(LedgerEntries.Encode(full).Length <= 64 * 1024);
        var tooMany = full.Append(((UInt128)1, 1)).ToList();
        Assert.Throws<ArgumentException>(() => LedgerEntries.Encode(tooMany));
    }

    [Fact]
    public void A_truncated_row_is_refused_rather_than_misread()
    {
        var bytes = LedgerEntries.Encode([((UInt128)7, 3)]);

        var exception = Assert.Throws<FormatException>(() => LedgerEntries.Decode(bytes[..^1]).ToList());
        Assert.Contains("19 bytes", exception.Message, StringComparison.Ordinal);
    }
}
