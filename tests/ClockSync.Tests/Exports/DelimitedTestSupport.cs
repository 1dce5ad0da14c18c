using ClockSync.Exports;

namespace ClockSync.Tests.Exports;

internal static class DelimitedTestSupport
{
    public static List<RawRecord> Read(string text, ExportReadOptions? options = null, int? maxRecordChars = null)
    {
        var reader = maxRecordChars is { } max ? new DelimitedTextReader(max) : new DelimitedTextReader();
        using var source = new StringReader(text);
        return reader.Read(source, options ?? ExportReadOptions.Default, CancellationToken.None).ToList();
    }

    /// <summary>Every physical line yields exactly one record, numbered 1..n in order.</summary>
    public static void AssertOneRecordPerLine(IReadOnlyList<RawRecord> records, int lines)
    {
        Assert.Equal(Enumerable.Range(1, lines).Select(i => (long)i), records.Select(r => r.Line));
    }

    public static RawRecord SinglePunch(IReadOnlyList<RawRecord> records)
    {
        var punch = Assert.Single(records, r => r.Kind == RawRecordKind.Punch);
        return punch;
    }

    public static DateTime At(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
}
