using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ClockSync.Exports.Delimited;

// The byte path's fast case, quoteless lines cut in one vectorised pass (the rest is in DelimitedScannerOfT.cs).
internal sealed partial class DelimitedScanner<T>
{
    /// <summary>
    /// <see cref="TryScanQuotelessLine"/> for bytes, in one pass: each 32-byte block gives a bit mask of its
    /// delimiters, quotes and line breaks, and the fields are cut at its bits, where the general search would be called
    /// once per field. Blocks may be read past the data (into the buffer's slack); bits beyond it are dropped.
    /// </summary>
    private bool TryScanQuotelessBytes(out Scan scanned)
    {
        scanned = Scan.Complete;
        var bytes = MemoryMarshal.AsBytes(_buffer.AsSpan());
        var delimiter = byte.CreateTruncating(_delimiter);
        var start = _start;
        var end = _end;
        var fieldStart = start;
        for (var block = start; block < end; block += BlockLength)
        {
            var mask = StructuralMask(bytes[block..], delimiter);
            if (end - block < BlockLength)
            {
                mask &= (1u << (end - block)) - 1;
            }

            while (mask != 0)
            {
                var at = block + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                var c = bytes[at];
                if (c == delimiter)
                {
                    AddField(fieldStart, at - fieldStart, PlainField);
                    fieldStart = at + 1;
                    continue;
                }

                if (c == (byte)'"' || (c == (byte)'\r' && at + 1 == end && !_eof))
                {
                    _fieldCount = 0;
                    return false;
                }

                if (at - start > _maxRecordLength)
                {
                    _fieldCount = 0;
                    scanned = Scan.TooLong;
                    return true;
                }

                AddField(fieldStart, at - fieldStart, PlainField);
                _start = at + (c == (byte)'\r' && at + 1 < end && bytes[at + 1] == (byte)'\n' ? 2 : 1);
                return true;
            }
        }

        _fieldCount = 0;
        return false;
    }

    /// <summary>Bit i set when byte i of the block is the delimiter, a quote, CR or LF.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StructuralMask(ReadOnlySpan<byte> block, byte delimiter)
    {
        ref var first = ref MemoryMarshal.GetReference(block);
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.LoadUnsafe(ref first);
            return (Vector256.Equals(v, Vector256.Create(delimiter)) | Vector256.Equals(v, Vector256.Create((byte)'"'))
                | Vector256.Equals(v, Vector256.Create((byte)'\r')) | Vector256.Equals(v, Vector256.Create((byte)'\n'))).ExtractMostSignificantBits();
        }

        return Mask128(Vector128.LoadUnsafe(ref first), delimiter)
            | (Mask128(Vector128.LoadUnsafe(ref first, (nuint)Vector128<byte>.Count), delimiter) << Vector128<byte>.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask128(Vector128<byte> v, byte delimiter) =>
        (Vector128.Equals(v, Vector128.Create(delimiter)) | Vector128.Equals(v, Vector128.Create((byte)'"'))
            | Vector128.Equals(v, Vector128.Create((byte)'\r')) | Vector128.Equals(v, Vector128.Create((byte)'\n'))).ExtractMostSignificantBits();
}
