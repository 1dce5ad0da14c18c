namespace ClockSync.Exports.Text;

/// <summary>
/// A read-only, forward-only stream that first replays bytes already read from the start of <c>rest</c> (the
/// detection prefix) and then continues with <c>rest</c> itself. Lets detection peek at a non-seekable stream (a
/// blob download) and the reader still see every byte once. Does not own <c>rest</c>.
/// </summary>
internal sealed class PrefixReplayStream : Stream
{
    private readonly byte[] _prefix;
    private readonly int _prefixEnd;
    private readonly Stream _rest;
    private int _position;

    public PrefixReplayStream(byte[] prefix, int start, int length, Stream rest)
    {
        _prefix = prefix;
        _position = start;
        _prefixEnd = start + length;
        _rest = rest;
    }

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
        if (_position < _prefixEnd)
        {
            var count = Math.Min(buffer.Length, _prefixEnd - _position);
            _prefix.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        return _rest.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _prefixEnd)
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }

        return _rest.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
