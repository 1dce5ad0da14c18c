using BenchmarkDotNet.Attributes;
using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Benchmarks.Parsing;

/// <summary>
/// Reads generated exports of 100,000 and 1,000,000 lines from disk (page cache) through the public entry point,
/// consuming every record. Allocated bytes should be the same at both sizes for the readers (they hold no more than a
/// line); the full import allocates per accepted punch and holds its dedupe set, so it grows by design.
/// </summary>
[Config(typeof(ParseConfig))]
public class ParseBenchmarks
{
    private string _attLog = string.Empty;
    private string _csv = string.Empty;

    [Params(100_000, 1_000_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Generate()
    {
        _attLog = BenchmarkFiles.AttLog(Lines);
        _csv = BenchmarkFiles.Csv(Lines);
    }

    /// <summary>
    /// For the CSV cases, also runs every CSV reader (the baseline's as much as ours) over the small file a few times
    /// first. The JIT optimises hot code only after it has run for a while; without this, on a busy machine the pilot
    /// stage timed unoptimised code and sized the short 100k iterations from it (a few noisy operations each).
    /// </summary>
    [GlobalSetup(Targets = new[] { nameof(CsvWithCsvHelper), nameof(CsvWithCsvHelperCached), nameof(CsvRecords) })]
    public void GenerateAndWarmUpCsv()
    {
        Generate();
        var small = BenchmarkFiles.Csv(100_000);
        for (var i = 0; i < 8; i++)
        {
            CsvHelperBaseline.Read(small, poolStrings: false);
            CsvHelperBaseline.Read(small, poolStrings: true);
            ReadRecords(small);
        }
    }

    [Benchmark(Description = "attlog: Open + Records")]
    [BenchmarkCategory("attlog")]
    public long AttLogRecords() => ReadRecords(_attLog);

    [Benchmark(Description = "attlog: Open + PunchImporter")]
    [BenchmarkCategory("attlog")]
    public long AttLogImport()
    {
        var importer = new PunchImporter(new PunchOptions(), TimeProvider.System);
        using var stream = OpenFile(_attLog);
        using var export = ExportFileReader.Open(stream, _attLog, ExportReadOptions.Default);
        var tally = new ImportTally();
        long punches = 0;
        foreach (var batch in importer.ReadBatches(export.Records, tally, CancellationToken.None))
        {
            punches += batch.Punches.Count;
        }

        return punches + tally.Lines;
    }

    [Benchmark(Baseline = true, Description = "csv: CsvHelper")]
    [BenchmarkCategory("csv")]
    public long CsvWithCsvHelper() => CsvHelperBaseline.Read(_csv, poolStrings: false);

    [Benchmark(Description = "csv: CsvHelper (PoolStrings)")]
    [BenchmarkCategory("csv")]
    public long CsvWithCsvHelperCached() => CsvHelperBaseline.Read(_csv, poolStrings: true);

    [Benchmark(Description = "csv: Open + Records")]
    [BenchmarkCategory("csv")]
    public long CsvRecords() => ReadRecords(_csv);

    private static long ReadRecords(string path)
    {
        using var stream = OpenFile(path);
        using var export = ExportFileReader.Open(stream, path, ExportReadOptions.Default);
        long checksum = 0;
        foreach (var record in export.Records)
        {
            checksum += record.Kind == RawRecordKind.Punch
                ? record.UserKey!.Length + (record.Name?.Length ?? 0) + (record.Device?.Length ?? 0) + record.Time.Local.Ticks
                : 1;
        }

        return checksum;
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
}
