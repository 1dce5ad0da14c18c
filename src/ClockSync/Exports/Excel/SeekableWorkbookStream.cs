namespace ClockSync.Exports.Excel;

/// <summary>
/// Workbook formats need to seek (a zip's directory is at its end, a compound file is a FAT of sectors). A seekable
/// stream is used as it is; anything else (a blob download stream) is copied to a temporary file that is deleted on
/// close, so memory stays flat however large the workbook.
/// </summary>
internal sealed class SeekableWorkbookStream : IDisposable
{
    private readonly FileStream? _temporary;

    private SeekableWorkbookStream(Stream stream, FileStream? temporary)
    {
        Stream = stream;
        _temporary = temporary;
    }

    public Stream Stream { get; }

    public static SeekableWorkbookStream Open(Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            return new SeekableWorkbookStream(content, null);
        }

        var temporary = new FileStream(
            Path.Combine(Path.GetTempPath(), $"clocksync-{Guid.NewGuid():N}.workbook"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 81_920,
            FileOptions.DeleteOnClose);
        try
        {
            var buffer = new byte[81_920];
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                temporary.Write(buffer, 0, read);
            }

            temporary.Position = 0;
            return new SeekableWorkbookStream(temporary, temporary);
        }
        catch
        {
            temporary.Dispose();
            throw;
        }
    }

    public void Dispose() => _temporary?.Dispose();
}
