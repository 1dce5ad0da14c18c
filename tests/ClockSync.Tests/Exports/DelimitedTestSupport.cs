using System.Runtime.ExceptionServices;
using System.Text;
using ClockSync.Exports;
using ClockSync.Exports.Delimited;

namespace ClockSync.Tests.Exports;

internal static class DelimitedTestSupport
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Reads the text as decoded characters, and also its UTF-8 bytes the way <see cref="ExportFileReader"/> reads a
    /// UTF-8 file (handed out a few bytes at a time, so that every record crosses refills): both must give the same
    /// records, or throw the same exception. Limits count characters on one path and bytes on the other, so with a
    /// limit set the text must be ASCII for that comparison (otherwise only the decoded path is read).
    /// </summary>
    public static List<RawRecord> Read(string text, ExportReadOptions? options = null, int? maxRecordChars = null)
    {
        options ??= ExportReadOptions.Default;
        var decoded = Capture(() => ReadDecoded(text, options, maxRecordChars));
        if (maxRecordChars is null || Ascii.IsValid(text))
        {
            var bytes = Capture(() => ReadUtf8(Utf8.GetBytes(text), options, maxRecordChars));
            AssertSameOutcome(decoded, bytes);
        }

        if (decoded.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return decoded.Records!;
    }

    public static List<RawRecord> ReadDecoded(string text, ExportReadOptions options, int? maxRecordChars = null)
    {
        using var source = new StringReader(text);
        return [.. Reader(maxRecordChars).Read(source, options, CancellationToken.None)];
    }

    /// <summary>The byte path, fed <paramref name="chunk"/> bytes per read.</summary>
    public static List<RawRecord> ReadUtf8(byte[] utf8, ExportReadOptions options, int? maxRecordChars = null, int chunk = 7)
    {
        using var source = new TrickleStream(utf8, chunk);
        return [.. Reader(maxRecordChars).ReadUtf8(source, options, CancellationToken.None)];
    }

    /// <summary>The decoded path over bytes decoded as <see cref="ExportFileReader"/> decodes UTF-8 (invalid bytes become U+FFFD).</summary>
    public static List<RawRecord> ReadDecodedBytes(byte[] utf8, ExportReadOptions options, int? maxRecordChars = null)
    {
        using var source = new StreamReader(new MemoryStream(utf8), Utf8, detectEncodingFromByteOrderMarks: false);
        return [.. Reader(maxRecordChars).Read(source, options, CancellationToken.None)];
    }

    /// <summary>Same records, field by field; a rejection for length names its own unit on each path.</summary>
    public static void AssertSameRecords(IReadOnlyList<RawRecord> decoded, IReadOnlyList<RawRecord> bytes)
    {
        Assert.Equal(decoded.Count, bytes.Count);
        for (var i = 0; i < decoded.Count; i++)
        {
            var fromBytes = bytes[i];
            if (fromBytes.Reason is { } reason && reason.StartsWith("line is longer than ", StringComparison.Ordinal))
            {
                fromBytes = fromBytes with { Reason = reason.Replace(" bytes", " characters", StringComparison.Ordinal) };
            }

            Assert.Equal(decoded[i], fromBytes);
        }
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

    private static DelimitedTextReader Reader(int? maxRecordChars) =>
        maxRecordChars is { } max ? new DelimitedTextReader(max) : new DelimitedTextReader();

    private static (List<RawRecord>? Records, Exception? Error) Capture(Func<List<RawRecord>> read)
    {
        try
        {
            return (read(), null);
        }
        catch (Exception error) when (error is NotAClockExportException or ArgumentException)
        {
            return (null, error);
        }
    }

    private static void AssertSameOutcome((List<RawRecord>? Records, Exception? Error) decoded, (List<RawRecord>? Records, Exception? Error) bytes)
    {
        if (decoded.Error is not null || bytes.Error is not null)
        {
            Assert.Equal(decoded.Error?.GetType(), bytes.Error?.GetType());
            Assert.Equal(decoded.Error?.Message, bytes.Error?.Message);
            return;
        }

        AssertSameRecords(decoded.Records!, bytes.Records!);
    }
}
