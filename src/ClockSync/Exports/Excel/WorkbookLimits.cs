namespace ClockSync.Exports.Excel;

/// <summary>
/// What a workbook may hold before ExcelDataReader is let near it (<see cref="WorkbookInspector"/>). ExcelDataReader
/// keeps the whole shared-strings table, the styles and the sheet list in memory, and a sheet's cells one row at a
/// time; a few hundred kilobytes of zip can unpack into gigabytes of any of them. Each limit sits well above what a
/// clock export reaches and is what keeps one reading under about 200 MB, whatever the file (README, "Hostile workbooks").
/// </summary>
public sealed record WorkbookLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>The limits every production path uses.</summary>
    public static WorkbookLimits Default { get; } = new();

    /// <summary>Entries in the zip. An export has about ten: content types, relationships, workbook, styles, strings, a part per sheet.</summary>
    public int MaxEntries { get; init; } = 1_000;

    /// <summary>Bytes of the zip's central directory, checked before the zip library reads it (it keeps every entry in memory).</summary>
    public long MaxCentralDirectoryBytes { get; init; } = 1 * MiB;

    /// <summary>Uncompressed bytes of one worksheet part, streamed row by row: Excel's 1,048,576 rows of a dozen cells fit.</summary>
    public long MaxWorksheetBytes { get; init; } = 512 * MiB;

    /// <summary>
    /// Uncompressed bytes of the shared-strings part, which is held in memory whole (as .NET strings, about twice its
    /// bytes): room for <see cref="MaxSharedStrings"/> date-time texts (<c>&lt;si&gt;&lt;t&gt;2024-03-01 08:00:00&lt;/t&gt;&lt;/si&gt;</c>).
    /// </summary>
    /// <remarks>
    /// Set from measurement, not from Excel's maximum: an ingest holds the table on top of its own fixed ~90 MB, and a
    /// Flex instance's memory is shared by the invocations running on it, so the largest workbook let through must
    /// ingest under 200 MB (benchmarks/README.md, "Workbooks"). A larger export is split, or exported as CSV, which
    /// is streamed and has no such limit.
    /// </remarks>
    public long MaxSharedStringsBytes { get; init; } = 16 * MiB;

    /// <summary>
    /// Entries of the shared-strings table: a date-time text per punch for 262,144 (256 Ki) punches, a quarter of Excel's
    /// largest sheet (each string costs about 64 bytes held, however short; see <see cref="MaxSharedStringsBytes"/> for why it is not Excel's maximum).
    /// </summary>
    public int MaxSharedStrings { get; init; } = 262_144;

    /// <summary>
    /// Ends the reason of a refusal on <see cref="MaxSharedStrings"/> or <see cref="MaxSharedStringsBytes"/>: these are
    /// the limits a large legitimate export (one text per punch time) can reach, so the report says what to do.
    /// </summary>
    internal const string SharedStringsAdvice = "; split the export into smaller files, or export it as CSV, which is read as a stream and has no such limit";

    /// <summary>Uncompressed bytes of any other part (workbook, styles, relationships, media).</summary>
    public long MaxOtherPartBytes { get; init; } = 16 * MiB;

    /// <summary>Uncompressed bytes of all parts together.</summary>
    public long MaxTotalBytes { get; init; } = 1024 * MiB;

    /// <summary>Uncompressed bytes per compressed byte, for parts of at least <see cref="CompressionRatioFloorBytes"/>.</summary>
    /// <remarks>Sheet XML compresses about 10 to 30 times; deflate cannot pass about 1,030 (a zip bomb's ratio).</remarks>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Below this size a part's compression ratio is not judged (small repetitive parts compress very well).</summary>
    public long CompressionRatioFloorBytes { get; init; } = 1 * MiB;

    /// <summary>
    /// Bytes of one XML node (a tag with its attributes, a text, a comment). Excel's longest cell text is 32,767
    /// characters, under 100 KiB in UTF-8.
    /// </summary>
    public int MaxNodeBytes { get; init; } = 256 * 1024;

    /// <summary>Element nesting; spreadsheet parts nest about six deep.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Elements of a part outside sheet data and shared strings (styles, merged cells, column widths, sheet list).</summary>
    public int MaxElementsPerPart { get; init; } = 262_144;

    /// <summary>Sheets listed by the workbook; each is read whole once before its rows.</summary>
    public int MaxSheets { get; init; } = 256;

    /// <summary>Row number of a sheet (Excel's own maximum); ExcelDataReader hands out every empty row up to it.</summary>
    public int MaxRows { get; init; } = 1_048_576;

    /// <summary>Column number and cells per row (Excel's own maximum, column XFD).</summary>
    public int MaxColumns { get; init; } = 16_384;

    /// <summary>Bytes of one row's XML: its cells are held together.</summary>
    public int MaxRowBytes { get; init; } = 4 * (int)MiB;

    /// <summary>
    /// Bytes of a legacy <c>.xls</c> (not compressed, so memory follows the file size). Its sheets hold at most 65,536
    /// rows; such a sheet of a dozen columns is about 10 MiB.
    /// </summary>
    public long MaxLegacyWorkbookBytes { get; init; } = 16 * MiB;
}
