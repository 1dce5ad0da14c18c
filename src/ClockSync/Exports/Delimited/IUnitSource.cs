namespace ClockSync.Exports.Delimited;

/// <summary>Where a <see cref="DelimitedScanner{T}"/> gets its characters or bytes.</summary>
internal interface IUnitSource<T>
{
    /// <summary>Fills the start of <paramref name="buffer"/>; 0 only at the end of the input.</summary>
    int Read(Span<T> buffer);
}

/// <summary>Decoded text.</summary>
internal sealed class TextReaderUnits(TextReader reader) : IUnitSource<char>
{
    public int Read(Span<char> buffer) => reader.Read(buffer);
}

/// <summary>Raw bytes (UTF-8 text, its byte-order mark already skipped).</summary>
internal sealed class StreamUnits(Stream stream) : IUnitSource<byte>
{
    public int Read(Span<byte> buffer) => stream.Read(buffer);
}
