using System.Globalization;
using ClockSync.Benchmarks.Generation;
using ClockSync.Exports.Excel;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// The workbooks <c>memory --workbooks</c> measures: the hostile ones the inspector refuses (the 10 million
/// shared strings among them) and the largest it lets through on each limit that bounds what ExcelDataReader holds,
/// beside a large ordinary export. Generated into the run's folder and deleted after it, never committed.
/// </summary>
internal static class MemoryWorkbooks
{
    private static readonly WorkbookLimits Limits = WorkbookLimits.Default;

    public static IReadOnlyList<WorkbookCase> Cases { get; } =
    [
        new("sst-10m-tiny.xlsx", "refused: 10M strings", null, output => HostileWorkbooks.SharedStrings(output, 10_000_000, length: 1)),
        new("zip-bomb-1g.xlsx", "refused: bomb 1 GiB", null, output => HostileWorkbooks.ZipBomb(output, 1L << 30)),
        new("sst-lying-size.xlsx", "refused: lying size", null, WriteLyingSize),
        new("entries-100k.xlsx", "refused: 100k entries", null, output => HostileWorkbooks.ManyEntries(output, 100_000)),
        new("sst-max-count.xlsx", string.Create(CultureInfo.InvariantCulture, $"limit: {Limits.MaxSharedStrings:N0} strings"), 100_000, output => HostileWorkbooks.SharedStrings(output, Limits.MaxSharedStrings, length: 19, punches: 100_000)),
        new("sst-max-bytes.xlsx", string.Create(CultureInfo.InvariantCulture, $"limit: {Limits.MaxSharedStringsBytes >> 20} MiB of strings"), 3, output => HostileWorkbooks.SharedStrings(
            output, (int)((Limits.MaxSharedStringsBytes - 4096) / (4_000 + "<si><t></t></si>".Length)), length: 4_000, punches: 3)),
        new("normal-300k.xlsx", "normal: 300k punches", 300_000, output => HostileWorkbooks.Normal(output, 300_000)),
    ];

    /// <summary>The shared strings, declaring a size under every limit (the zip library stops there).</summary>
    private static void WriteLyingSize(Stream output)
    {
        var bytes = HostileWorkbooks.Bytes(workbook => HostileWorkbooks.SharedStrings(workbook, 10_000_000, length: 1));
        HostileWorkbooks.DeclareSharedStringsSize(bytes, 2 * 1024 * 1024);
        output.Write(bytes);
    }
}

/// <summary>One workbook of the run.</summary>
/// <param name="Punches">The punches it holds when it is let through (<see cref="HostileWorkbooks.Punches"/>); null for one that must be refused.</param>
internal sealed record WorkbookCase(string Name, string Content, int? Punches, Action<Stream> Write)
{
    public bool Refused => Punches is null;
}
