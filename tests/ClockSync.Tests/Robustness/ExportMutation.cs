using System.Text;

namespace ClockSync.Tests.Robustness;

/// <summary>The damage a real export can suffer on its way to ClockSync.</summary>
internal enum MutationKind
{
    Truncate,
    FlipBytes,
    InsertStray,
    DuplicateLine,
    DeleteLine,
    InsertHugeLine,
    ReEncode,
}

/// <summary>
/// One mutation, as plain numbers so that CsCheck can generate and shrink it: <see cref="Where"/> picks the position
/// (a fraction of the length), <see cref="Amount"/> the size, <see cref="Pick"/> the variant.
/// </summary>
internal readonly record struct ExportMutation(MutationKind Kind, double Where, int Amount, int Pick)
{
    /// <summary>Stray characters that trip tokenisers: quotes, tabs, NULs, lone CR, separators, a replacement char.</summary>
    private static readonly string[] Strays = ["\"", "\t", "\0", "\r", "\n", ",", ";", "\"\"", "\r\r\n", "\uFFFD", "'", "\u3000"];

    private static readonly Encoding[] Targets = CreateTargets();

    public byte[] Apply(byte[] content)
    {
        var at = (int)(Where * content.Length);
        switch (Kind)
        {
            case MutationKind.Truncate:
                return content[..at];
            case MutationKind.FlipBytes:
            {
                var copy = (byte[])content.Clone();
                var random = new Random(Pick);
                for (var i = 0; i < Math.Min(Amount % 16 + 1, copy.Length); i++)
                {
                    copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
                }

                return copy;
            }

            case MutationKind.InsertStray:
                return [.. content[..at], .. Encoding.UTF8.GetBytes(Strays[Pick % Strays.Length]), .. content[at..]];
            case MutationKind.DuplicateLine:
            case MutationKind.DeleteLine:
            {
                var (start, end) = LineAround(content, at);
                return Kind == MutationKind.DuplicateLine
                    ? [.. content[..end], .. content[start..end], .. content[end..]]
                    : [.. content[..start], .. content[end..]];
            }

            case MutationKind.InsertHugeLine:
                return [.. content[..at], .. HugeLine(Amount, Pick), .. content[at..]];
            case MutationKind.ReEncode:
            {
                // Decode as the reader would have (valid UTF-8, else GB18030), write in another encoding.
                var text = System.Text.Unicode.Utf8.IsValid(content) ? Encoding.UTF8.GetString(content) : Gb18030.GetString(content);
                var target = Targets[Pick % Targets.Length];
                return [.. target.GetPreamble(), .. target.GetBytes(text)];
            }

            default:
                throw new InvalidOperationException($"Unknown mutation {Kind}.");
        }
    }

    public override string ToString() => Kind switch
    {
        MutationKind.InsertStray => $"{Kind}({Strays[Pick % Strays.Length].Replace("\0", "\\0", StringComparison.Ordinal)} at {Where:P0})",
        MutationKind.ReEncode => $"{Kind}({Targets[Pick % Targets.Length].WebName}{(Targets[Pick % Targets.Length].GetPreamble().Length > 0 ? " BOM" : string.Empty)})",
        MutationKind.InsertHugeLine => $"{Kind}({Amount:N0} bytes, variant {Pick % 4} at {Where:P0})",
        _ => $"{Kind}(at {Where:P0}, {Amount}, {Pick})",
    };

    private static Encoding Gb18030 => Encoding.GetEncoding(54936);

    /// <summary>A line of <paramref name="length"/> bytes: digits, a giant quoted field, tabs and NULs, or CSV-ish cells.</summary>
    private static byte[] HugeLine(int length, int pick)
    {
        var line = new byte[length + 1];
        var pattern = (pick % 4) switch
        {
            0 => "1234567890"u8.ToArray(),
            1 => "\"ab,\"\"c"u8.ToArray(),
            2 => "\t\0 7"u8.ToArray(),
            _ => "7,2025-06-02 08:57:31,"u8.ToArray(),
        };

        for (var i = 0; i < length; i++)
        {
            line[i] = pattern[i % pattern.Length];
        }

        line[^1] = (byte)'\n';
        return line;
    }

    private static (int Start, int End) LineAround(byte[] content, int at)
    {
        var start = at == 0 ? 0 : Array.LastIndexOf(content, (byte)'\n', Math.Min(at, content.Length) - 1) + 1;
        var next = Array.IndexOf(content, (byte)'\n', Math.Min(at, content.Length));
        var end = next < 0 ? content.Length : next + 1;
        return (Math.Min(start, end), end);
    }

    private static Encoding[] CreateTargets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return
        [
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            Encoding.GetEncoding(54936),
            new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            Encoding.Latin1,
        ];
    }
}
