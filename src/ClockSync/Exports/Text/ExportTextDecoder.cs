using System.Text;

namespace ClockSync.Exports.Text;

/// <summary>
/// Decides how an export's bytes are text, from a prefix of them: byte-order mark first (UTF-8, UTF-16 LE/BE), then
/// BOM-less UTF-16 (told by its NUL bytes), then strict UTF-8, else GB18030 (a superset of GBK and GB2312, which
/// Chinese desktop software writes). Whatever is chosen decodes the rest of the file without throwing: bytes that are
/// invalid later in the file become U+FFFD, and the readers reject a user key that holds one.
/// </summary>
public static class ExportTextDecoder
{
    /// <summary>Bytes looked at to decide. Large enough for many lines, small enough to buffer for any stream.</summary>
    public const int PrefixLength = 64 * 1024;

    private const int Gb18030CodePage = 54936;

    private static readonly Lazy<Encoding> Gb18030 = new(() =>
    {
        // In-box since .NET Core 3.0, but not registered by default. ExcelDataReader needs the same registration
        // for legacy .xls, and registering twice is harmless.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(Gb18030CodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
    });

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly Encoding Utf16LittleEndian = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: false);
    private static readonly Encoding Utf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: false);

    /// <summary>Decides the encoding from the first bytes of a file.</summary>
    /// <param name="prefix">The first bytes, up to <see cref="PrefixLength"/>.</param>
    /// <param name="isWholeContent">True when the prefix is the whole file (no multi-byte character is cut at its end).</param>
    public static DetectedEncoding Detect(ReadOnlySpan<byte> prefix, bool isWholeContent)
    {
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new DetectedEncoding("UTF-8 (BOM)", Utf8, 3);
        }

        // UTF-32 LE starts FF FE 00 00 too; no clock or export tool writes UTF-32, so FF FE is UTF-16 LE.
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new DetectedEncoding("UTF-16LE (BOM)", Utf16LittleEndian, 2);
        }

        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new DetectedEncoding("UTF-16BE (BOM)", Utf16BigEndian, 2);
        }

        switch (GuessUtf16ByteOrder(prefix))
        {
            case false:
                return new DetectedEncoding("UTF-16LE", Utf16LittleEndian, 0);
            case true:
                return new DetectedEncoding("UTF-16BE", Utf16BigEndian, 0);
        }

        var checkedLength = isWholeContent ? prefix.Length : WithoutCutCharacter(prefix);
        return System.Text.Unicode.Utf8.IsValid(prefix[..checkedLength])
            ? new DetectedEncoding("UTF-8", Utf8, 0)
            : new DetectedEncoding("GB18030", Gb18030.Value, 0);
    }

    /// <summary>
    /// Export text is mostly ASCII digits, tabs and separators, which UTF-16 writes as a byte and a NUL. When most
    /// byte pairs have their NUL on the same side (and almost none on the other), the text is UTF-16 without a BOM.
    /// A run of NUL padding (both bytes zero) counts for neither side, so NUL-padded 8-bit files are not mistaken.
    /// </summary>
    /// <returns>False for little-endian, true for big-endian, null when it is not UTF-16.</returns>
    private static bool? GuessUtf16ByteOrder(ReadOnlySpan<byte> prefix)
    {
        var pairs = prefix.Length / 2;
        if (pairs < 2 || !prefix.Contains((byte)0))
        {
            // Without a single NUL byte neither side can count (the common case, told by one vectorised search).
            return null;
        }

        int littleEndianLike = 0, bigEndianLike = 0;
        for (var i = 0; i + 1 < prefix.Length; i += 2)
        {
            var (first, second) = (prefix[i], prefix[i + 1]);
            if (first != 0 && second == 0)
            {
                littleEndianLike++;
            }
            else if (first == 0 && second != 0)
            {
                bigEndianLike++;
            }
        }

        var threshold = Math.Max(2, pairs * 3 / 10);
        if (littleEndianLike >= threshold && bigEndianLike * 10 <= littleEndianLike)
        {
            return false;
        }

        if (bigEndianLike >= threshold && littleEndianLike * 10 <= bigEndianLike)
        {
            return true;
        }

        return null;
    }

    /// <summary>Length of the prefix without a multi-byte UTF-8 sequence that the prefix boundary cut short.</summary>
    private static int WithoutCutCharacter(ReadOnlySpan<byte> prefix)
    {
        for (var back = 1; back <= Math.Min(3, prefix.Length); back++)
        {
            var b = prefix[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for the lead byte
            }

            var sequenceLength = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return sequenceLength > back ? prefix.Length - back : prefix.Length;
        }

        return prefix.Length;
    }

    /// <summary>
    /// The first complete lines of the prefix, for format detection. A line the prefix cut short is left out (unless the
    /// prefix is the whole file), so a character split at the boundary never shows up as garbage.
    /// </summary>
    public static IReadOnlyList<string> FirstLines(ReadOnlySpan<byte> prefix, bool isWholeContent, DetectedEncoding encoding, int maxLines)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var body = prefix[encoding.BomLength..];
        if (encoding.Encoding is not UnicodeEncoding)
        {
            // Opening must stay cheap for small files: decode only as far as the lines asked for, not the whole prefix.
            body = body[..LengthOfFirstLines(body, maxLines)];
        }

        var text = encoding.Encoding.GetString(body);
        if (!isWholeContent)
        {
            text = text[..(text.AsSpan().LastIndexOfAny('\r', '\n') + 1)];
        }

        var lines = new List<string>();
        using var reader = new BoundedLineReader(new StringReader(text));
        while (lines.Count < maxLines && reader.Read() is var result && result != LineReadResult.End)
        {
            lines.Add(result == LineReadResult.Line ? reader.Current.ToString() : string.Empty);
        }

        return lines;
    }

    /// <summary>Whether the text is UTF-8 (with or without a byte-order mark), which can be scanned as bytes.</summary>
    internal static bool IsUtf8(DetectedEncoding encoding) => ReferenceEquals(encoding.Encoding, Utf8);

    /// <summary>The bytes of the whole text: the prefix replayed after its BOM, then the rest of <paramref name="rest"/>.</summary>
    internal static Stream OpenBytes(byte[] prefix, int prefixLength, Stream rest, DetectedEncoding encoding) =>
        new PrefixReplayStream(prefix, encoding.BomLength, prefixLength - encoding.BomLength, rest);

    /// <summary>
    /// Length of a start of <paramref name="text"/> that holds at least its first <paramref name="lines"/> lines
    /// whole: it ends after twice as many CR or LF bytes (a CRLF counts two), or is all of it. Only for encodings in
    /// which those bytes are never part of another character (UTF-8 and GB18030, not UTF-16).
    /// </summary>
    private static int LengthOfFirstLines(ReadOnlySpan<byte> text, int lines)
    {
        var length = 0;
        for (var breaks = 0; breaks < (2 * lines) + 2; breaks++)
        {
            var next = text[length..].IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
            {
                return text.Length;
            }

            length += next + 1;
        }

        return length;
    }

    /// <summary>A reader of the whole text: the prefix replayed after its BOM, then the rest of <paramref name="rest"/>.</summary>
    internal static StreamReader OpenText(byte[] prefix, int prefixLength, Stream rest, DetectedEncoding encoding) =>
        new(
            OpenBytes(prefix, prefixLength, rest, encoding),
            encoding.Encoding,
            detectEncodingFromByteOrderMarks: false,
            bufferSize: 16 * 1024,
            leaveOpen: false);
}
