namespace ClockSync.Exports.Delimited;

// The buffer: refilled from the source, skipped through a line break, and given up a line at a time when a record
// is too long (the scan itself is in DelimitedScannerOfT.cs).
internal sealed partial class DelimitedScanner<T>
{
    /// <summary>
    /// A record past the limit: when its first physical line alone is too long, that line is skipped; when it spans
    /// lines, a quote opened on the first line ran on, and only that first line is given up.
    /// </summary>
    private ScanResult RefuseTooLongRecord()
    {
        var firstBreak = _buffer.AsSpan(_start, _end - _start).IndexOfAny(CarriageReturn, LineFeed);
        return firstBreak < 0 || firstBreak > _maxRecordLength ? SkipTooLongLine() : RejectFirstLineOfRecord();
    }

    private ScanResult SkipTooLongLine()
    {
        SkipThroughLineBreak();
        Line = _nextLine++;
        return ScanResult.TooLong;
    }

    private ScanResult RejectFirstLineOfRecord()
    {
        Line = _nextLine++;
        _fieldCount = 0;
        var stop = _buffer.AsSpan(_start, _end - _start).IndexOfAny(CarriageReturn, LineFeed);
        if (stop < 0)
        {
            _start = _end;
            return ScanResult.UnclosedQuote;
        }

        _start += stop;
        SkipThroughLineBreak();
        return ScanResult.UnclosedQuote;
    }

    /// <summary>Discards input up to and including the next line break, reading more as needed.</summary>
    private void SkipThroughLineBreak()
    {
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var stop = data.IndexOfAny(CarriageReturn, LineFeed);
            if (stop >= 0)
            {
                var wasCarriageReturn = data[stop] == CarriageReturn;
                _start += stop + 1;
                if (wasCarriageReturn)
                {
                    if (_start == _end && !_eof)
                    {
                        Fill();
                    }

                    if (_start < _end && _buffer[_start] == LineFeed)
                    {
                        _start++;
                    }
                }

                return;
            }

            _start = _end;
            if (_eof)
            {
                return;
            }

            Fill();
        }
    }

    /// <summary>Moves the unread part to the front of the buffer and reads more after it (at the end: sets the flag).</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        // A source that hands out small pieces (a network stream) would have a long record scanned again after every
        // piece: read on until a useful amount has come, or the end.
        var goal = _end + Math.Min(MinimumRead, _capacity - _end);
        do
        {
            var read = _source.Read(_buffer.AsSpan(_end, _capacity - _end));
            if (read == 0)
            {
                _eof = true;
                return;
            }

            _end += read;
        }
        while (_end < goal);
    }
}
