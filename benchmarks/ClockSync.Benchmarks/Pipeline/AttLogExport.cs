using System.Globalization;
using System.Text;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// A deterministic ZKTeco attlog export of unique punches, in time order as a clock writes it: 500 users punching
/// four times a day from 2024-01-01, so 100,000 punches span 50 days and 1,000,000 span 500 (all in the past and
/// after Feishu's earliest date). Written straight to disk so generating a big file costs no memory.
/// </summary>
internal static class AttLogExport
{
    private const int Users = 500;
    private static readonly int[] SlotHours = [8, 12, 13, 18];
    private static readonly int[] DaySpanHours = [8, 18];
    private static readonly DateTime FirstDay = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static async Task WriteAsync(string path, int punches, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        await using (writer)
        {
            var written = 0;
            for (var day = 0; written < punches; day++)
            {
                foreach (var hour in SlotHours)
                {
                    for (var user = 1; user <= Users && written < punches; user++, written++)
                    {
                        // Each user's own second within the slot keeps (user, time) unique and the file in time order.
                        var time = FirstDay.AddDays(day).AddHours(hour).AddSeconds(user * 7 % 3600);
                        await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{user,9}\t{time:yyyy-MM-dd HH:mm:ss}\t1\t0\t1\t0\r\n")
                            .AsMemory(), cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="users"/> × <paramref name="days"/> × two punches (08:xx and 18:xx, each user's own minute and
    /// second) from 2024-01-01, in time order as a clock writes it, or sorted by person (then time) as most CSV and
    /// Excel reports are. The same punches either way.
    /// </summary>
    public static async Task WriteAsync(string path, int users, int days, ExportOrder order, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        await using (writer)
        {
            // Time order: day, then slot, then user. Person order: user, then day, then slot.
            var slots = DaySpanHours.Length;
            var outer = order == ExportOrder.Person ? users : days;
            var inner = (order == ExportOrder.Person ? days : users) * slots;
            for (var i = 0; i < outer; i++)
            {
                for (var j = 0; j < inner; j++)
                {
                    var (user, day, slot) = order == ExportOrder.Person ? (i + 1, j / slots, j % slots) : (j % users + 1, i, j / users);
                    var time = FirstDay.AddDays(day).AddHours(DaySpanHours[slot]).AddSeconds(user * 7 % 3600);
                    await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{user,9}\t{time:yyyy-MM-dd HH:mm:ss}\t1\t0\t1\t0\r\n")
                        .AsMemory(), cancellationToken);
                }
            }
        }
    }

    /// <summary>The records of one full batch of a generated export, as the ingest puts them in a message.</summary>
    public static IReadOnlyList<ClockSync.Storage.Batches.BatchRecord> SampleRecords()
    {
        var text = new StringBuilder();
        for (var user = 1; user <= 50; user++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{user,9}\t{FirstDay.AddHours(8).AddSeconds(user * 7):yyyy-MM-dd HH:mm:ss}\t1\t0\t1\t0\r\n");
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        using var export = ClockSync.Exports.ExportFileReader.Open(stream, "sample_attlog.dat", ClockSync.Exports.ExportReadOptions.Default);
        var importer = new ClockSync.Punches.PunchImporter(new ClockSync.Punches.PunchOptions(), TimeProvider.System);
        return importer.ReadBatches(export.Records, new ClockSync.Punches.ImportTally(), CancellationToken.None)
            .SelectMany(batch => batch.Punches)
            .Select(ClockSync.Storage.Batches.BatchRecord.From)
            .ToList();
    }

    /// <summary>A few punches on a day the generated exports never reach, to warm the pipeline up.</summary>
    public static string WarmUp(int punches)
    {
        var text = new StringBuilder();
        for (var i = 0; i < punches; i++)
        {
            var time = new DateTime(2023, 6, 1, 8, 0, 0, DateTimeKind.Unspecified).AddMinutes(i);
            text.Append(CultureInfo.InvariantCulture, $"{i % 7 + 1,9}\t{time:yyyy-MM-dd HH:mm:ss}\t1\t0\t1\t0\r\n");
        }

        return text.ToString();
    }
}

/// <summary>The row order of a generated export.</summary>
internal enum ExportOrder
{
    /// <summary>By time, as a clock writes its log.</summary>
    Time,

    /// <summary>By person, then time, as most CSV and Excel reports are.</summary>
    Person,
}
