using System.Globalization;
using System.Text;

namespace ClockSync.Benchmarks.Generation;

/// <summary>
/// Writes generated punches as a ZKTeco USB <c>attlog.dat</c> (space-padded PINs, tabs, CRLF) or as an equivalent
/// Hikvision-like CSV (<c>Person ID,Name,Time,Device</c>, UTF-8, CRLF, a few quoted names). Streams to disk: a file of
/// any size is written with constant memory.
/// </summary>
internal static class SyntheticExports
{
    public const string CsvHeader = "Person ID,Name,Time,Device";

    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private static readonly string[] Names = CreateNames();

    /// <summary>Writes <paramref name="lines"/> attlog lines; returns the byte count.</summary>
    public static long WriteAttLog(string path, long lines, int? distinctPunches = null) =>
        Write(path, lines, long.MaxValue, distinctPunches, header: null, AppendAttLogLine).Bytes;

    /// <summary>Writes a header and <paramref name="lines"/> rows (the same punches as the attlog); returns the byte count.</summary>
    public static long WriteCsv(string path, long lines) => Write(path, lines, long.MaxValue, distinctPunches: null, CsvHeader, AppendCsvRow).Bytes;

    /// <summary>Writes attlog lines until the file reaches about <paramref name="bytes"/>; returns the line count.</summary>
    public static long WriteAttLogOfSize(string path, long bytes, int? distinctPunches = null) =>
        // Attlog lines are about 40 bytes; the line estimate (kept above the real count) only spreads the times, the byte limit stops the writing.
        Write(path, bytes / 36, bytes, distinctPunches, header: null, AppendAttLogLine).Lines;

    /// <summary>A file in a temp folder of this process's choosing, generated once per shape and reused.</summary>
    public static string Cached(string name, Action<string> write)
    {
        var folder = Path.Combine(Path.GetTempPath(), "clocksync-bench");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            var partial = path + ".partial";
            write(partial);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }

    private static (long Lines, long Bytes) Write(
        string path, long lines, long maxBytes, int? distinctPunches, string? header, Action<StringBuilder, SyntheticPunch> append)
    {
        var punches = new SyntheticPunches(lines, distinctPunches);
        long written = 0, bytes = 0;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new StreamWriter(file, Utf8NoBom, 1 << 16))
        {
            var line = new StringBuilder(128);
            if (header is not null)
            {
                writer.Write(header);
                writer.Write("\r\n");
            }

            // Attlog lines are ASCII, so characters count bytes for the size limit; CSV files are sized by lines.
            for (; written < lines && bytes < maxBytes; written++)
            {
                line.Clear();
                append(line, punches.Next());
                line.Append("\r\n");
                bytes += line.Length;
                foreach (var chunk in line.GetChunks())
                {
                    writer.Write(chunk.Span);
                }
            }
        }

        return (written, new FileInfo(path).Length);
    }

    private static void AppendAttLogLine(StringBuilder line, SyntheticPunch punch)
    {
        // PIN right-aligned in 9 characters, as the USB download writes it.
        var pin = SyntheticPunches.PinText(punch.Pin);
        line.Append(' ', Math.Max(0, 9 - pin.Length)).Append(pin).Append('\t');
        AppendTime(line, punch.Time);
        line.Append('\t').Append(punch.Device).Append('\t').Append(punch.Status)
            .Append('\t').Append(punch.Verify).Append("\t0");
    }

    private static void AppendCsvRow(StringBuilder line, SyntheticPunch punch)
    {
        var name = Names[punch.User];
        line.Append(SyntheticPunches.PinText(punch.Pin)).Append(',');
        if (name.Contains(',', StringComparison.Ordinal))
        {
            line.Append('"').Append(name).Append('"');
        }
        else
        {
            line.Append(name);
        }

        line.Append(',');
        AppendTime(line, punch.Time);
        line.Append(',').Append(punch.Device);
    }

    private static void AppendTime(StringBuilder line, DateTime time) =>
        line.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-dd HH:mm:ss}");

    /// <summary>Mostly Chinese names (multi-byte UTF-8), some Latin ones written "Family, Given" that need quotes.</summary>
    private static string[] CreateNames()
    {
        const string Surnames = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗";
        const string Given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华";
        string[] latinFamily = ["Li", "Wang", "Zhang", "Liu", "Chen", "Han", "Smith", "Garcia"];
        string[] latinGiven = ["Lei", "Meimei", "Wei", "Fang", "Anna", "Tom", "Maria", "Jun"];
        var random = new Random(SyntheticPunches.Seed);
        var names = new string[SyntheticPunches.Users];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = random.Next(20) == 0
                ? $"{latinFamily[random.Next(latinFamily.Length)]}, {latinGiven[random.Next(latinGiven.Length)]}"
                : string.Concat(Surnames[random.Next(Surnames.Length)], Given[random.Next(Given.Length)], random.Next(2) == 0 ? string.Empty : Given[random.Next(Given.Length)].ToString());
        }

        return names;
    }
}
