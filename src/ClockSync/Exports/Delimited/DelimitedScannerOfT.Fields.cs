namespace ClockSync.Exports.Delimited;

// The fields of the record last scanned: handed out as spans, recorded as the scan finds them, unquoted in place
// (the scan itself is in DelimitedScannerOfT.cs).
internal sealed partial class DelimitedScanner<T>
{
    /// <summary>A field of the last record, unquoted; empty when the record is shorter.</summary>
    public ReadOnlySpan<T> Field(int index) =>
        (uint)index < (uint)_fieldCount ? _buffer.AsSpan(_fieldStarts[index], _fieldLengths[index]) : default;

    /// <summary>
    /// A field as <see cref="Field"/> gives it (its first <paramref name="length"/> units), followed by at least
    /// <see cref="BlockLength"/> more units of the buffer, whatever they hold: lets a short field be loaded as one
    /// vector, with no test of its length. (Every field ends within the data, and the buffer has that much slack.)
    /// </summary>
    public ReadOnlySpan<T> FieldBlock(int index, out int length)
    {
        if ((uint)index >= (uint)_fieldCount)
        {
            length = 0;
            return _buffer.AsSpan(0, BlockLength);
        }

        length = _fieldLengths[index];
        return _buffer.AsSpan(_fieldStarts[index], length + BlockLength);
    }

    private void AddField(int start, int length, byte kind)
    {
        if (_fieldCount == _fieldStarts.Length)
        {
            Array.Resize(ref _fieldStarts, _fieldCount * 2);
            Array.Resize(ref _fieldLengths, _fieldCount * 2);
            Array.Resize(ref _fieldKinds, _fieldCount * 2);
        }

        _fieldStarts[_fieldCount] = start;
        _fieldLengths[_fieldCount] = length;
        _fieldKinds[_fieldCount] = kind;
        _fieldCount++;
    }

    private void FinishFields(bool hasEscapes)
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            switch (_fieldKinds[i])
            {
                case QuotedField:
                    _fieldStarts[i]++;
                    _fieldLengths[i] -= 2;
                    break;
                case QuotedWithEscapes when hasEscapes:
                    _fieldLengths[i] = UnquoteInPlace(_fieldStarts[i], _fieldStarts[i] + _fieldLengths[i]);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Removes the quotes of <c>"a""b"c</c> (giving <c>a"bc</c>) in place; the result is never longer.</summary>
    private int UnquoteInPlace(int rawStart, int rawEnd)
    {
        var buffer = _buffer;
        var write = rawStart;
        var read = rawStart + 1;
        var inQuotes = true;
        while (read < rawEnd)
        {
            var c = buffer[read];
            if (inQuotes && c == Quote)
            {
                if (read + 1 < rawEnd && buffer[read + 1] == Quote)
                {
                    buffer[write++] = Quote;
                    read += 2;
                }
                else
                {
                    inQuotes = false;
                    read++;
                }

                continue;
            }

            buffer[write++] = c;
            read++;
        }

        return write - rawStart;
    }
}
