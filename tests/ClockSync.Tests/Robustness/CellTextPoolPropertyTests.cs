using ClockSync.Exports.Text;
using CsCheck;

namespace ClockSync.Tests.Robustness;

/// <summary>
/// The pool's column cache answers from a cheap hash that collides by design: whatever the texts, what comes out is
/// the text that went in, and a text seen before comes back as the same instance while the pool has room.
/// </summary>
public sealed class CellTextPoolPropertyTests
{
    private static readonly Gen<string> Cell = Gen.OneOf(
        Gen.Char["0123456789"].Array[1, 6].Select(chars => new string(chars)),
        Gen.Char["ab李雷 \t\uFFFD"].Array[0, 12].Select(chars => new string(chars)),
        Gen.String[0, 20]);

    [Fact]
    public void Every_cell_comes_back_as_its_own_text_and_repeats_share_one_instance()
    {
        Gen.Select(Cell.Array[1, 300], Gen.Enum<PooledColumn>().Array[300]).Sample((cells, columns) =>
        {
            var pool = new CellTextPool();
            var first = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < cells.Length; i++)
            {
                var pooled = pool.Get(cells[i].AsSpan(), columns[i]);

                Assert.Equal(cells[i], pooled);
                if (first.TryGetValue(cells[i], out var earlier))
                {
                    Assert.Same(earlier, pooled);
                }
                else
                {
                    first[cells[i]] = pooled;
                }
            }
        }, iter: 300);
    }
}
