using CsvHelper;

namespace ClockSync.Benchmarks.Parsing;

/// <summary>
/// The baseline: the same CSV read with CsvHelper 34 (a SIMD UTF-8 reader), taking the same four fields by header
/// name as strings and parsing the time with its <c>ParseExact&lt;DateTime&gt;</c>. It does less than the ClockSync reader
/// (no encoding detection, no header aliases, no user-key rule, no rejections), so the comparison favours it.
/// </summary>
internal static class CsvHelperBaseline
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Reads every row; returns a checksum of what was read so nothing can be optimised away.</summary>
    /// <param name="poolStrings">CsvHelper's per-column string pooling, which the ClockSync readers do too.</param>
    public static long Read(string path, bool poolStrings)
    {
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions { PoolStrings = poolStrings });
        csv.ReadHeader();
        int user = csv.GetFieldIndex("Person ID"), name = csv.GetFieldIndex("Name"),
            time = csv.GetFieldIndex("Time"), device = csv.GetFieldIndex("Device");
        long checksum = 0;
        while (csv.Read())
        {
            var row = new CsvRow(
                csv.GetString(user),
                csv.GetString(name),
                csv.ParseExact<DateTime>(time, TimeFormat),
                csv.GetString(device));
            checksum += row.Checksum();
        }

        return checksum;
    }

    private readonly record struct CsvRow(string UserKey, string Name, DateTime Time, string Device)
    {
        public long Checksum() => UserKey.Length + Name.Length + Device.Length + Time.Ticks;
    }
}
