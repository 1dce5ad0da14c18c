using ClockSync.Exports.Text;
using CsCheck;

namespace ClockSync.Tests.Robustness;

/// <summary>
/// The UTF-8 value cache answers only for bytes it was given, with what it was given: whatever the cells (empty, with
/// NULs, differing only in trailing zeros, past the inline or the key limit), and whatever bytes follow a cell.
/// </summary>
public sealed class Utf8ValueCachePropertyTests
{
    private static readonly Gen<byte[]> Cell = Gen.OneOf(
        Gen.Byte[0, 3].Array[0, 17],
        Gen.Byte.Array[0, 20],
        Gen.Byte[(byte)'0', (byte)'9'].Array[1, 6],
        Gen.Byte.Array[14, 70]);

    [Fact]
    public void A_cell_gets_back_what_its_bytes_were_given_and_nothing_else()
    {
        Gen.Select(Cell.Array[1, 200], Gen.Byte.Array[32], Gen.Bool.Array[200]).Sample((cells, trailing, adds) =>
        {
            using var cache = new Utf8ValueCache();
            var given = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < cells.Length; i++)
            {
                var key = Convert.ToHexString(cells[i]);
                var found = cache.TryGet(Block(cells[i], trailing), cells[i].Length, out var value);

                if (found)
                {
                    Assert.True(given.TryGetValue(key, out var expected), "the cache answered for bytes it was never given");
                    Assert.Same(expected, value);
                }
                else if (!given.ContainsKey(key) && adds[i])
                {
                    var remembered = i % 5 == 0 ? null : key;
                    cache.Add(cells[i], remembered);
                    given[key] = remembered;
                }
            }

            // Everything given that the cache could hold is found again, even after the table has grown.
            foreach (var cell in cells.Where(c => c.Length is > 0 and <= Utf8ValueCache.MaxKeyLength))
            {
                if (given.TryGetValue(Convert.ToHexString(cell), out var expected))
                {
                    Assert.True(cache.TryGet(Block(cell, trailing), cell.Length, out var value));
                    Assert.Same(expected, value);
                }
            }
        });
    }

    [Fact]
    public void After_disposal_nothing_is_remembered_or_found()
    {
        var cache = new Utf8ValueCache();
        cache.Add("7"u8, "7");
        cache.Dispose();
        cache.Add("8"u8, "8");

        Assert.False(cache.TryGet(Block("7"u8.ToArray(), new byte[32]), 1, out _));
        Assert.False(cache.TryGet(Block("8"u8.ToArray(), new byte[32]), 1, out _));
    }

    /// <summary>The cell followed by other bytes, as the scanner's buffer holds it.</summary>
    private static byte[] Block(byte[] cell, byte[] trailing) => [.. cell, .. trailing];
}
