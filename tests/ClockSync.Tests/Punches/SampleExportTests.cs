using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

/// <summary>The shipped samples through the real readers and the importer, as the pipeline will run them.</summary>
public sealed class SampleExportTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("clocksync-samples-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static List<Punch> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var export = ExportFileReader.Open(stream, Path.GetFileName(path), ExportReadOptions.Default);
        var importer = new PunchImporter(new PunchOptions(), Records.Now());
        return importer.ReadBatches(export.Records, new ImportTally(), CancellationToken.None).SelectMany(b => b.Punches).ToList();
    }

    [Fact]
    public void A_re_export_under_another_file_name_gives_the_same_fingerprints()
    {
        var original = Path.Combine(AppContext.BaseDirectory, "samples", "1_attlog.dat");
        var renamed = Path.Combine(_temp, "CQZ7231460123_attlog.dat");
        File.Copy(original, renamed);

        var first = Read(original);
        var second = Read(renamed);

        Assert.NotEmpty(first);
        Assert.Equal(first.Select(p => p.Fingerprint), second.Select(p => p.Fingerprint));
    }

    [Fact]
    public void The_same_person_has_the_same_key_in_the_attlog_and_the_Hikvision_export()
    {
        var attlogKeys = Read(Path.Combine(AppContext.BaseDirectory, "samples", "1_attlog.dat")).Select(p => p.UserKey).ToHashSet();
        var csvKeys = Read(Path.Combine(AppContext.BaseDirectory, "samples", "hikvision-attendance.csv")).Select(p => p.UserKey).ToHashSet();

        Assert.Subset(attlogKeys, csvKeys);
        Assert.Contains("7", csvKeys);
    }

    [Fact]
    public void Every_sample_punch_fits_in_batches_of_at_most_50()
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "samples", "1_attlog.dat"));
        using var export = ExportFileReader.Open(stream, "1_attlog.dat", ExportReadOptions.Default);
        var tally = new ImportTally();

        var batches = new PunchImporter(new PunchOptions { BatchSize = 10 }, Records.Now())
            .ReadBatches(export.Records, tally, CancellationToken.None).ToList();

        Assert.Equal([10, 10, 10, 4], batches.Select(b => b.Punches.Count));
        Assert.Equal(tally.Lines, tally.Skipped + tally.Punches + tally.Duplicates + tally.Rejected);
    }
}
