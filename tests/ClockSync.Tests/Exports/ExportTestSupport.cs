using System.Text;
using ClockSync.Exports;

namespace ClockSync.Tests.Exports;

/// <summary>A stream like a blob download: forward-only, and handing out data in small, uneven pieces.</summary>
internal sealed class TrickleStream(byte[] content, int maxChunk = 7) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(Math.Min(buffer.Length, maxChunk), content.Length - _position);
        content.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class ExportTestSupport
{
    public static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

    public static string DataPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    public static byte[] Bytes(string text, Encoding? encoding = null) => (encoding ?? Utf8NoBom).GetBytes(text);

    public static List<RawRecord> ReadAll(ITextExportReader reader, string text, ExportReadOptions? options = null) =>
        [.. reader.Read(new StringReader(text), options ?? ExportReadOptions.Default, CancellationToken.None)];

    public static (OpenedExport Export, List<RawRecord> Records) OpenAndRead(
        byte[] content, string fileName = "export.dat", ExportReadOptions? options = null, bool seekable = true)
    {
        Stream stream = seekable ? new MemoryStream(content, writable: false) : new TrickleStream(content);
        using var export = ExportFileReader.Open(stream, fileName, options ?? ExportReadOptions.Default);
        return (export, [.. export.Records]);
    }

    /// <summary>The accounting identity: one record per physical line, numbered 1..N in file order.</summary>
    public static void AssertOneRecordPerLine(IReadOnlyList<RawRecord> records, int physicalLines)
    {
        Assert.Equal(physicalLines, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Line);
        }
    }

    public static RawRecord Punch(IReadOnlyList<RawRecord> records, long line)
    {
        var record = records.Single(r => r.Line == line);
        Assert.Equal(RawRecordKind.Punch, record.Kind);
        return record;
    }

    public static DateTime Local(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
}
