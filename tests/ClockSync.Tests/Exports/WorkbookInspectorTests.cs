using ClockSync.Benchmarks.Generation;
using ClockSync.Exports;
using ClockSync.Exports.Excel;

namespace ClockSync.Tests.Exports;

/// <summary>
/// Workbooks that unpack into more than the reader can hold are refused before ExcelDataReader opens them, with the
/// limit named, and without the inspection itself unpacking them: it stops at the limit. The workbooks are generated
/// here, never committed.
/// </summary>
public sealed class WorkbookInspectorTests
{
    private const string Header = """<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c><c r="B1" t="inlineStr"><is><t>打卡时间</t></is></c></row>""";

    [Fact]
    public void A_table_of_millions_of_tiny_shared_strings_is_refused_after_reading_a_fraction_of_it()
    {
        // The file had 10 million; 4 million keeps the test quick and is fifteen times the limit.
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 4_000_000, length: 1));
        var content = new CountingStream(new MemoryStream(workbook));
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(content, WorkbookLimits.Default, CancellationToken.None));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Contains(
            "xl/sharedStrings.xml holds more than 262,144 shared strings (limit MaxSharedStrings); split the export into smaller files, or export it as CSV, which is read as a stream and has no such limit",
            error.Message, StringComparison.Ordinal);
        // About a quarter of the compressed table was read, and nothing like its 68 MB of XML was held.
        Assert.InRange(content.BytesRead, 1, workbook.Length / 2);
        Assert.InRange(allocated, 0, 4L * 1024 * 1024);
        Assert.Equal(0, content.Position);
    }

    [Fact]
    public void The_refusal_comes_out_of_the_reader_as_a_file_it_cannot_read()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 1_100_000, length: 1));
        using var export = ExportFileReader.Open(new MemoryStream(workbook), "hostile.xlsx", ExportReadOptions.Default);

        var error = Assert.Throws<NotAClockExportException>(() => export.Records.ToList());

        Assert.StartsWith("the workbook is refused before reading: its part xl/sharedStrings.xml holds more than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_shared_strings_table_at_a_limit_is_read(bool atByteLimit)
    {
        // At the count limit: the limit's number of date-time texts; at the byte limit: 4,000-character texts just under it.
        var (count, length) = atByteLimit ? (StringsOfBytes(WorkbookLimits.Default.MaxSharedStringsBytes - 4096), 4_000) : (WorkbookLimits.Default.MaxSharedStrings, 19);
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, count, length, punches: 5));
        using var export = ExportFileReader.Open(new MemoryStream(workbook), "edge.xlsx", ExportReadOptions.Default);

        var punches = export.Records.Where(record => record.Kind == RawRecordKind.Punch).ToList();

        Assert.Equal(HostileWorkbooks.Punches(5).Select(p => p.User), punches.Select(p => p.UserKey));
    }

    [Fact]
    public void A_shared_strings_part_past_its_byte_limit_is_refused_naming_the_limit_and_what_to_do()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, StringsOfBytes(WorkbookLimits.Default.MaxSharedStringsBytes + 64 * 1024), length: 4_000));

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Equal(
            "the workbook is refused before reading: its part xl/sharedStrings.xml unpacks to more than 16,777,216 bytes (limit MaxSharedStringsBytes); split the export into smaller files, or export it as CSV, which is read as a stream and has no such limit",
            error.Message);
    }

    /// <summary>How many 4,000-character shared strings make a part of about <paramref name="bytes"/> (as the memory bench sizes its workbook).</summary>
    private static int StringsOfBytes(long bytes) => (int)(bytes / (4_000 + "<si><t></t></si>".Length));

    [Fact]
    public void A_zip_bomb_is_refused_on_its_declared_sizes_before_anything_is_unpacked()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.ZipBomb(output, 64L * 1024 * 1024));
        var content = new CountingStream(new MemoryStream(workbook));

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(content, WorkbookLimits.Default, CancellationToken.None));

        Assert.Contains("xl/media/image1.png declares 67,108,864 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("(limit MaxCompressionRatio): a zip bomb", error.Message, StringComparison.Ordinal);
        // The end record, the central directory and the parts before the bomb: not the bomb's own data.
        Assert.InRange(content.BytesRead, 1, workbook.Length / 2);
    }

    [Fact]
    public void A_bomb_declaring_a_modest_ratio_is_stopped_once_it_unpacks_past_it()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 3_000_000, length: 1));
        // Claims 8 MiB: under every size limit and, from its compressed size, a believable ratio.
        HostileWorkbooks.DeclareSharedStringsSize(workbook, 8 * 1024 * 1024);
        var limits = WorkbookLimits.Default with { MaxCompressionRatio = 1_000, MaxSharedStrings = int.MaxValue };

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), limits, CancellationToken.None));

        // The zip library stops at the declared size, which cuts the XML short: the lie shows, and no byte past it is read.
        Assert.Contains("xl/sharedStrings.xml ends inside an element after 8,388,608 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_declaring_more_than_it_holds_is_refused()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.SharedStrings(output, 1_000, length: 1));
        HostileWorkbooks.DeclareSharedStringsSize(workbook, 40_000);

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Contains("its part xl/sharedStrings.xml unpacks to 17,147 bytes but declares 40,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_entries_are_refused_before_the_zip_library_lists_them()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.ManyEntries(output, 1_500));

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Contains("its zip lists 1,500 entries, more than 1,000 (limit MaxEntries)", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> HostileSheets => new()
    {
        { Sheet($"""<row r="2"><c r="A2" t="inlineStr"><is><t>{new string('x', 300_000)}</t></is></c></row>"""), "limit MaxNodeBytes" },
        { Sheet($"""<row r="2" {string.Concat(Enumerable.Range(0, 30_000).Select(i => $"a{i}=\"{i}\" "))}/>"""), "has a tag longer than 262,144 bytes (limit MaxNodeBytes)" },
        { Sheet($"<!--{new string('-', 10)}{new string('x', 300_000)}-->"), "limit MaxNodeBytes" },
        { Sheet("""<row r="2"><c r="XFE2"><v>1</v></c></row>"""), "past column 16,384" },
        { Sheet("""<row r="2"><c r="ZZZZZZZZZZZZ2"><v>1</v></c></row>"""), "past column 16,384" },
        { Sheet(string.Concat(Enumerable.Repeat("""<row r="2"><c r="A2"><v>1</v></c></row>""", 16_385))), "or more cells than that, in row 2 (limit MaxColumns)" },
        { Sheet("""<row r="1048577"><c r="A1048577"><v>1</v></c></row>"""), "has a row numbered past 1,048,576 (limit MaxRows)" },
        { Sheet("""<row r="2000000000"/>"""), "limit MaxRows" },
        { Sheet(string.Concat(Enumerable.Repeat("<x>", 40)) + string.Concat(Enumerable.Repeat("</x>", 40))), "nesting deeper than 32 (limit MaxDepth)" },
        { Sheet("""<row r="2">""" + string.Concat(Enumerable.Range(1, 400).Select(i => $"""<c r="A2" t="inlineStr"><is><t>{new string('y', 12_000)}</t></is></c>""")) + "</row>"), "limit MaxRowBytes" },
        { """<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet/>""", "document type declaration" },
    };

    [Theory]
    [MemberData(nameof(HostileSheets))]
    public void A_sheet_shaped_to_make_the_reader_hold_too_much_is_refused(string sheetXml, string reason)
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.Custom(output, sheetXml));

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.StartsWith("the workbook is refused before reading: its part xl/worksheets/sheet1.xml ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Styles_with_more_elements_than_the_limit_are_refused()
    {
        var styles = $"""<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>{string.Concat(Enumerable.Repeat("<xf/>", 300_000))}</cellXfs></styleSheet>""";
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.Custom(output, Sheet(string.Empty), ("xl/styles.xml", styles)));

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Contains("xl/styles.xml holds more than 262,144 elements (limit MaxElementsPerPart)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_sheets_on_one_part_are_refused()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.Custom(output, Sheet(string.Empty), ("xl/workbook.xml",
            """<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId1"/></sheets></workbook>""")));

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Contains("xl/workbook.xml has two sheets naming the same relationship", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_xls_larger_than_its_limit_is_refused()
    {
        var workbook = new byte[WorkbookLimits.Default.MaxLegacyWorkbookBytes + 1];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(workbook, 0);

        var error = Assert.Throws<NotAClockExportException>(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Contains("limit MaxLegacyWorkbookBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50_000_000u, true)]
    [InlineData(262_144u, false)]
    public void A_legacy_xls_declaring_more_shared_strings_than_the_limit_is_refused(uint declared, bool refused)
    {
        var workbook = CompoundFileWithSst(declared);

        var inspection = Record.Exception(() => WorkbookInspector.Inspect(new MemoryStream(workbook), WorkbookLimits.Default, CancellationToken.None));

        Assert.Equal(declared, LegacyWorkbookStrings.UniqueCount(new MemoryStream(workbook), 0));
        Assert.Equal(refused, inspection is NotAClockExportException);
        Assert.Contains(
            refused ? "its shared-strings record declares 50,000,000 strings, more than 262,144 (limit MaxSharedStrings); split the export" : string.Empty,
            inspection?.Message ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hikvision-report.xlsx")]
    [InlineData("hikvision-report.xls")]
    public void The_sample_workbooks_pass(string name)
    {
        using var file = File.OpenRead(ExportTestSupport.DataPath("excel", name));

        WorkbookInspector.Inspect(file, WorkbookLimits.Default, CancellationToken.None);

        Assert.Equal(0, file.Position);
    }

    [Fact]
    public void A_normal_workbook_of_a_hundred_thousand_punches_passes_and_reads_whole()
    {
        var workbook = HostileWorkbooks.Bytes(output => HostileWorkbooks.Normal(output, 100_000));
        using var export = ExportFileReader.Open(new MemoryStream(workbook), "big.xlsx", ExportReadOptions.Default);

        var punches = export.Records.Count(record => record.Kind == RawRecordKind.Punch);

        Assert.Equal(100_000, punches);
    }

    /// <summary>
    /// A compound file (512-byte sectors: the allocation table, the directory, then the stream) whose <c>Workbook</c>
    /// stream is a BIFF8 globals substream: a BOF, filler records taking it past the 4 KiB mini-stream cutoff, an SST
    /// record declaring <paramref name="uniqueStrings"/>, an EOF. Enough for the inspector; not a workbook to read.
    /// </summary>
    private static byte[] CompoundFileWithSst(uint uniqueStrings)
    {
        const int Sector = 512;
        const uint EndOfChain = 0xFFFFFFFE, Free = 0xFFFFFFFF;
        var stream = new MemoryStream();
        void Record(ushort id, byte[] data)
        {
            stream.Write(BitConverter.GetBytes(id));
            stream.Write(BitConverter.GetBytes((ushort)data.Length));
            stream.Write(data);
        }

        Record(0x0809, new byte[16]);
        for (var i = 0; i < 5; i++)
        {
            Record(0x0022, new byte[1_000]);
        }

        Record(0x00FC, [.. BitConverter.GetBytes(uniqueStrings), .. BitConverter.GetBytes(uniqueStrings)]);
        Record(0x000A, []);
        var size = (int)stream.Length;
        var streamSectors = (size + Sector - 1) / Sector;
        var file = new byte[Sector * (3 + streamSectors)];
        var span = file.AsSpan();
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(span);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[0x18..], 0x3E);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[0x1A..], 3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[0x1C..], 0xFFFE);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[0x1E..], 9);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[0x20..], 6);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[0x2C..], 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[0x30..], 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[0x38..], 4096);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[0x3C..], EndOfChain);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[0x44..], EndOfChain);
        for (var i = 0; i < 109; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[(0x4C + (4 * i))..], i == 0 ? 0 : Free);
        }

        var fat = span.Slice(Sector, Sector);
        for (var i = 0; i < Sector / 4; i++)
        {
            var next = i switch
            {
                0 => 0xFFFFFFFD,
                1 => EndOfChain,
                _ when i < 2 + streamSectors - 1 => (uint)(i + 1),
                _ when i == 2 + streamSectors - 1 => EndOfChain,
                _ => Free,
            };
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(fat[(4 * i)..], next);
        }

        void Entry(int index, string name, byte type, uint start, uint length)
        {
            var entry = file.AsSpan((2 * Sector) + (index * 128), 128);
            System.Text.Encoding.Unicode.GetBytes(name).CopyTo(entry);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(entry[64..], (ushort)((name.Length + 1) * 2));
            entry[66] = type;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[68..], Free);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[72..], Free);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[76..], index == 0 ? 1u : Free);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[116..], start);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[120..], length);
        }

        Entry(0, "Root Entry", 5, EndOfChain, 0);
        Entry(1, "Workbook", 2, 2, (uint)size);
        stream.ToArray().CopyTo(span[(3 * Sector)..]);
        return file;
    }

    private static string Sheet(string rows) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{Header}{rows}</sheetData></worksheet>""";

    /// <summary>Counts the bytes read from the workbook file itself (compressed), however the reader seeks.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush() => inner.Flush();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
