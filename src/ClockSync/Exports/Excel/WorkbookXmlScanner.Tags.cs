using System.Text;

namespace ClockSync.Exports.Excel;

// Reading a buffered tag: its name, its attributes and a cell reference's column (the walk is in WorkbookXmlScanner.cs).
internal sealed partial class WorkbookXmlScanner
{
    /// <summary>The column of a cell reference such as <c>AB12</c> (1-based), null when it has none or not that shape.</summary>
    private static long? ColumnOf(ReadOnlySpan<byte> reference)
    {
        long column = 0;
        var letters = 0;
        foreach (var b in reference)
        {
            var upper = b & ~0x20;
            if (upper is < 'A' or > 'Z')
            {
                break;
            }

            // Past three letters it is beyond any limit; stop before the number can overflow.
            column = letters++ < 4 ? (column * 26) + (upper - 'A' + 1) : long.MaxValue / 2;
        }

        return letters == 0 ? null : column;
    }

    private static ReadOnlySpan<byte> Name(ReadOnlySpan<byte> tag)
    {
        var end = tag.IndexOfAny(" \t\r\n/"u8);
        return end < 0 ? tag : tag[..end];
    }

    private static string Attribute(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> localName) =>
        Encoding.UTF8.GetString(AttributeBytes(tag, localName));

    /// <summary>The value of the first attribute with that local name (any prefix), unescaped entities aside; empty when absent.</summary>
    private static ReadOnlySpan<byte> AttributeBytes(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> localName)
    {
        var rest = tag[Name(tag).Length..];
        while (true)
        {
            var equals = rest.IndexOf((byte)'=');
            if (equals < 0)
            {
                return [];
            }

            var name = rest[..equals].Trim(" \t\r\n"u8);
            var afterEquals = rest[(equals + 1)..].TrimStart(" \t\r\n"u8);
            if (afterEquals.IsEmpty || afterEquals[0] is not ((byte)'"' or (byte)'\''))
            {
                return [];
            }

            var close = afterEquals[1..].IndexOf(afterEquals[0]);
            if (close < 0)
            {
                return [];
            }

            var value = afterEquals.Slice(1, close);
            var local = name[(name.LastIndexOf((byte)':') + 1)..];
            if (local.SequenceEqual(localName))
            {
                return value;
            }

            rest = afterEquals[(close + 2)..];
        }
    }
}
