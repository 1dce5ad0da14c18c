using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ClockSync.Benchmarks.Generation;

/// <summary>
/// Writes <c>.xlsx</c> workbooks that are small on disk and large once unpacked — a huge shared-strings table, a zip
/// bomb, a part whose declared size lies, too many entries — and well-formed ones at the edge of what is accepted.
/// Generated on demand (the memory benchmark and the tests share this file), never committed. Each has one sheet whose
/// first row is a header (<c>工号</c>, <c>打卡时间</c>) followed by <paramref name="punches"/> rows of a punch, so a
/// workbook that is let through imports exactly those punches.
/// </summary>
internal static class HostileWorkbooks
{
    private const string SheetPart = "xl/worksheets/sheet1.xml";
    private const string SharedStringsPart = "xl/sharedStrings.xml";
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A valid workbook of <paramref name="punches"/> punches (user <c>10001</c>…, a minute apart from 2024-03-01 08:00).</summary>
    public static void Normal(Stream output, int punches) => Write(output, punches, sharedStrings: null);

    /// <summary>
    /// <paramref name="count"/> shared strings of <paramref name="length"/> characters each (the file: 10
    /// million of one character, 414 KB on disk). The punches' times are text cells pointing at the first strings.
    /// </summary>
    public static void SharedStrings(Stream output, int count, int length, int punches = 3) =>
        Write(output, punches, sharedStrings: (count, length));

    /// <summary>A workbook with an extra part of <paramref name="bytes"/> zeros, compressed about a thousand times.</summary>
    public static void ZipBomb(Stream output, long bytes, int punches = 3) =>
        Write(output, punches, sharedStrings: null, extra: zip =>
        {
            using var part = zip.CreateEntry("xl/media/image1.png", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 16];
            for (var left = bytes; left > 0; left -= zeros.Length)
            {
                part.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
            }
        });

    /// <summary>A workbook with <paramref name="entries"/> entries in all (tiny custom XML parts added).</summary>
    public static void ManyEntries(Stream output, int entries, int punches = 3) =>
        Write(output, punches, sharedStrings: null, extra: zip =>
        {
            // The content types, two relationship parts, the workbook and the sheet are there already.
            for (var i = 5; i < entries; i++)
            {
                Add(zip, $"customXml/item{i}.xml", "<a/>");
            }
        });

    /// <summary>
    /// Rewrites, in a finished workbook, the uncompressed size its zip declares for the shared-strings part (both in the
    /// local header and the central directory) to <paramref name="declared"/>.
    /// </summary>
    public static void DeclareSharedStringsSize(byte[] workbook, uint declared)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        var name = Encoding.ASCII.GetBytes(SharedStringsPart);
        var patched = 0;
        for (var at = 0; at + 46 < workbook.Length; at++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(workbook.AsSpan(at));
            var (nameAt, sizeAt) = signature switch
            {
                0x04034B50 => (at + 30, at + 22),
                0x02014B50 => (at + 46, at + 24),
                _ => (-1, -1),
            };
            if (nameAt >= 0 && workbook.AsSpan(nameAt).StartsWith(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(workbook.AsSpan(sizeAt), declared);
                patched++;
            }
        }

        if (patched != 2)
        {
            throw new InvalidOperationException($"Expected the shared strings' local and central headers, patched {patched}.");
        }
    }

    /// <summary>
    /// A workbook whose sheet is <paramref name="sheetXml"/> and that carries <paramref name="parts"/> besides (a part
    /// of the same name as a standard one replaces it).
    /// </summary>
    public static void Custom(Stream output, string sheetXml, params (string Name, string Text)[] parts) =>
        Write(output, 0, sharedStrings: null, extra: null, sheetXml, parts);

    /// <summary>What <paramref name="write"/> writes, as bytes (for tests and for rewriting declared sizes).</summary>
    public static byte[] Bytes(Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var output = new MemoryStream();
        write(output);
        return output.ToArray();
    }

    /// <summary>The punches a workbook of <paramref name="punches"/> rows holds, as (user, local time).</summary>
    public static IEnumerable<(string User, DateTime Time)> Punches(int punches) =>
        Enumerable.Range(0, punches).Select(i => ((10_001 + (i % 50)).ToString(CultureInfo.InvariantCulture), new DateTime(2024, 3, 1, 8, 0, 0).AddMinutes(i)));

    private static void Write(
        Stream output, int punches, (int Count, int Length)? sharedStrings, Action<ZipArchive>? extra = null, string? sheetXml = null, (string Name, string Text)[]? parts = null)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var replaced = (parts ?? []).ToDictionary(part => part.Name, part => part.Text, StringComparer.Ordinal);
        void Part(string name, string text) => Add(zip, name, replaced.Remove(name, out var other) ? other : text);

        Part("[Content_Types].xml",
            """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""");
        Part("_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part("xl/workbook.xml",
            """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Part("xl/_rels/workbook.xml.rels",
            """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>""");

        var times = Punches(punches).Select(p => p.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ToList();
        var textTimes = sharedStrings is { } table && table.Count >= punches && table.Length >= 19;
        if (sheetXml is not null)
        {
            Part(SheetPart, sheetXml);
        }
        else
        {
            using var writer = new StreamWriter(zip.CreateEntry(SheetPart, CompressionLevel.Fastest).Open(), Utf8, 1 << 16);
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            writer.Write("""<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c><c r="B1" t="inlineStr"><is><t>打卡时间</t></is></c></row>""");
            var row = 2;
            foreach (var (user, _) in Punches(punches))
            {
                var time = textTimes
                    ? $"""<c r="B{row}" t="s"><v>{row - 2}</v></c>"""
                    : $"""<c r="B{row}" t="inlineStr"><is><t>{times[row - 2]}</t></is></c>""";
                writer.Write($"""<row r="{row}"><c r="A{row}"><v>{user}</v></c>{time}</row>""");
                row++;
            }

            writer.Write("</sheetData></worksheet>");
        }

        foreach (var (name, text) in replaced)
        {
            Add(zip, name, text);
        }

        if (sharedStrings is { } strings)
        {
            using var writer = new StreamWriter(zip.CreateEntry(SharedStringsPart, CompressionLevel.Fastest).Open(), Utf8, 1 << 16);
            writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{strings.Count}" uniqueCount="{strings.Count}">""");
            var filler = new string('x', strings.Length);
            for (var i = 0; i < strings.Count; i++)
            {
                // With strings long enough, the first ones are the punches' times; the rest are filler.
                writer.Write("<si><t>");
                writer.Write(textTimes && i < times.Count ? times[i] : filler);
                writer.Write("</t></si>");
            }

            writer.Write("</sst>");
        }

        extra?.Invoke(zip);
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), Utf8);
        writer.Write(text);
    }
}
