using CsCheck;

namespace ClockSync.Tests.Robustness;

/// <summary>
/// Random bytes and damaged real exports through the whole import path, detected and forced to every format: only
/// <c>NotAClockExportException</c> ever escapes, allocations stay within a constant factor of the input, and every
/// line the reader produced is accounted for (<c>lines = skipped + punches + duplicates + rejected</c>), each rejection
/// with a line in range, a known field and a reason. On failure CsCheck prints the input and the seed to replay it.
/// </summary>
public sealed class WholePathPropertyTests
{
    private static readonly string[] RandomNames = ["attlog.dat", "export.csv", "report.xlsx", "old.xls", "GLG_001.TXT", "ATTLOG", "data.bin"];

    // Weighted so that most inputs stay recognisable exports with damage inside (the interesting case); a huge line
    // early in the file or a flipped zip byte mostly gets the file refused as not an export, which is checked too.
    private static readonly Gen<MutationKind> Kind = Gen.Frequency(
        (2, MutationKind.Truncate),
        (3, MutationKind.FlipBytes),
        (5, MutationKind.InsertStray),
        (3, MutationKind.DuplicateLine),
        (3, MutationKind.DeleteLine),
        (1, MutationKind.InsertHugeLine),
        (2, MutationKind.ReEncode));

    private static readonly Gen<ExportMutation> Mutation = Gen.Select(
        Kind,
        Gen.Int[0, 1000].Select(permille => permille / 1000.0),
        Gen.Int[1, 64],
        Gen.OneOf(Gen.Int[60_000, 140_000], Gen.Int[1, 3_000_000]),
        Gen.Int[0, 1000],
        (kind, where, small, huge, pick) => new ExportMutation(kind, where, kind == MutationKind.InsertHugeLine ? huge : small, pick));

    private static readonly Gen<RobustnessInput> MutatedExport = Gen.Select(
        Gen.Int[0, SampleExport.All.Count - 1],
        Mutation.Array[1, 3],
        (sample, mutations) => RobustnessInput.Mutated(SampleExport.All[sample], mutations));

    private static readonly Gen<RobustnessInput> RandomBytes = Gen.Select(
        Gen.Int[0, RandomNames.Length - 1],
        Gen.Byte.Array[0, 4096],
        (name, bytes) => new RobustnessInput(RandomNames[name], "random bytes", [], bytes));

    [Fact]
    public void The_samples_themselves_read_cleanly()
    {
        Assert.NotEmpty(SampleExport.All);
        foreach (var sample in SampleExport.All)
        {
            WholePath.AssertHoldsForEveryFormat(RobustnessInput.Mutated(sample, []), seekable: true);
        }
    }

    [Fact]
    public void Damaged_real_exports_keep_every_property()
    {
        Gen.Select(MutatedExport, Gen.Bool).Sample(
            (input, seekable) => WholePath.AssertHoldsForEveryFormat(input, seekable),
            iter: 1000,
            threads: 1);
    }

    [Fact]
    public void Random_bytes_keep_every_property()
    {
        Gen.Select(RandomBytes, Gen.Bool).Sample(
            (input, seekable) => WholePath.AssertHoldsForEveryFormat(input, seekable),
            iter: 1000,
            threads: 1);
    }

    /// <summary>
    /// Found by the property (seed 2yrAbLzVSRY4): one flipped byte in a 7 KiB .xls still opens as a workbook whose
    /// sheet claims more rows than the file has bytes. Every row is still one record (blank ones skipped), numbered
    /// within Excel's limit, and accounted for.
    /// </summary>
    [Fact]
    public void A_damaged_xls_that_claims_more_rows_than_bytes_is_still_accounted_for()
    {
        var sample = SampleExport.All.Single(s => s.RelativePath.EndsWith("hikvision-report.xls", StringComparison.Ordinal));
        var input = RobustnessInput.Mutated(sample, [new ExportMutation(MutationKind.FlipBytes, 0.03, 63, 214)]);

        var tally = WholePath.AssertHolds(input, format: null, seekable: false);

        Assert.NotNull(tally);
        Assert.True(tally.Lines > input.Content.Length, $"{tally.Lines} rows from {input.Content.Length} bytes");
        Assert.Equal(tally.Lines, tally.Skipped + tally.Punches + tally.Duplicates + tally.Rejected);
    }

    /// <summary>
    /// Found by the property (seed dlM37yEi_3r9): nine flipped bytes at 42 % of the same .xls make a sheet numbered to
    /// row 56,837 from 7 KiB. Its allocations grow with those rows (bounded by Excel's row limit), not with anything
    /// the file could make unbounded, and every row is still accounted for.
    /// </summary>
    [Fact]
    public void A_damaged_xls_walked_past_its_bytes_allocates_by_rows_within_the_sheet_limit()
    {
        var sample = SampleExport.All.Single(s => s.RelativePath.EndsWith("hikvision-report.xls", StringComparison.Ordinal));
        var input = RobustnessInput.Mutated(sample, [new ExportMutation(MutationKind.FlipBytes, 0.42, 9, 266)]);

        var tally = WholePath.AssertHolds(input, format: null, seekable: false);

        Assert.NotNull(tally);
        Assert.True(tally.Lines > input.Content.Length, $"{tally.Lines} rows from {input.Content.Length} bytes");
        Assert.Equal(tally.Lines, tally.Skipped + tally.Punches + tally.Duplicates + tally.Rejected);
    }
}
