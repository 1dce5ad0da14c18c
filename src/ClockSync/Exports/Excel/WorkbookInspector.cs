using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace ClockSync.Exports.Excel;

/// <summary>
/// Looks through a workbook before ExcelDataReader opens it and refuses one that would make the reader hold too much
/// (<see cref="WorkbookLimits"/>): a few hundred kilobytes of zip can unpack into a shared-strings table of millions of
/// entries, which the reader keeps whole before the first row.
/// </summary>
/// <remarks>
/// <para>An <c>.xlsx</c> is a zip. Its central directory is measured before the zip library reads it; then every entry
/// is checked on its declared sizes (uncompressed size, compression ratio), and read through, counting what it really
/// unpacks to — stopping at the first limit passed, so a bomb costs no more than the limit — while
/// <see cref="WorkbookXmlScanner"/> checks the shape of each XML part. A declared size that is smaller than the content
/// cuts the part short (the zip library reads no further), which shows as a part that ends inside an element.</para>
/// <para>A legacy <c>.xls</c> is not compressed: its size is bounded (ExcelDataReader's memory follows it), and so is the
/// shared-strings count its SST record declares, which the reader takes on trust (<see cref="LegacyWorkbookStrings"/>).</para>
/// <para>Anything else, or a zip too damaged to list, is left to ExcelDataReader, which reports it as it always has.</para>
/// </remarks>
internal static class WorkbookInspector
{
    private const int BufferBytes = 64 * 1024;
    private const uint EndOfCentralDirectorySignature = 0x06054B50;
    private const uint Zip64LocatorSignature = 0x07064B50;
    private const uint Zip64EndSignature = 0x06064B50;
    private const int EndOfCentralDirectoryBytes = 22;
    private const int MaxCommentBytes = ushort.MaxValue;

    /// <summary>Checks the workbook from its current position and puts the position back.</summary>
    /// <returns>How many uncompressed bytes were read (for tests: a refusal stops early).</returns>
    /// <exception cref="NotAClockExportException">The workbook passes a limit; the message names it.</exception>
    public static long Inspect(Stream workbook, WorkbookLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        ArgumentNullException.ThrowIfNull(limits);
        var origin = workbook.Position;
        try
        {
            Span<byte> signature = stackalloc byte[8];
            var length = workbook.ReadAtLeast(signature, signature.Length, throwOnEndOfStream: false);
            workbook.Position = origin;
            if (length >= 4 && signature.StartsWith("PK\u0003\u0004"u8))
            {
                return InspectPackage(workbook, origin, limits, cancellationToken);
            }

            if (length == signature.Length && ExcelExportReader.LooksLikeWorkbook(signature))
            {
                InspectLegacy(workbook, origin, limits);
            }

            return 0;
        }
        catch (Exception exception) when (WorkbookRows.IsReadFailure(exception))
        {
            // Fail closed: a workbook the inspection cannot get through is not handed to the reader unchecked.
            throw new NotAClockExportException($"the workbook is damaged: it cannot be inspected: {exception.Message}", exception);
        }
        finally
        {
            workbook.Position = origin;
        }
    }

    private static void InspectLegacy(Stream workbook, long origin, WorkbookLimits limits)
    {
        if (workbook.Length - origin > limits.MaxLegacyWorkbookBytes)
        {
            throw Refuse($"it is a legacy .xls of {workbook.Length - origin:N0} bytes, more than {limits.MaxLegacyWorkbookBytes:N0} (limit {nameof(WorkbookLimits.MaxLegacyWorkbookBytes)})");
        }

        long? strings;
        try
        {
            strings = LegacyWorkbookStrings.UniqueCount(workbook, origin);
        }
        catch (EndOfStreamException)
        {
            // A chain pointing past the end: damaged, as ExcelDataReader will say.
            return;
        }

        if (strings > limits.MaxSharedStrings)
        {
            throw Refuse($"its shared-strings record declares {strings:N0} strings, more than {limits.MaxSharedStrings:N0} (limit {nameof(WorkbookLimits.MaxSharedStrings)}){WorkbookLimits.SharedStringsAdvice}");
        }
    }

    private static long InspectPackage(Stream workbook, long origin, WorkbookLimits limits, CancellationToken cancellationToken)
    {
        if (ReadDirectoryExtent(workbook, origin) is not var (entries, directoryBytes))
        {
            return 0;
        }

        if (entries > limits.MaxEntries)
        {
            throw Refuse($"its zip lists {entries:N0} entries, more than {limits.MaxEntries:N0} (limit {nameof(WorkbookLimits.MaxEntries)})");
        }

        if (directoryBytes > limits.MaxCentralDirectoryBytes)
        {
            throw Refuse($"its zip directory takes {directoryBytes:N0} bytes, more than {limits.MaxCentralDirectoryBytes:N0} (limit {nameof(WorkbookLimits.MaxCentralDirectoryBytes)})");
        }

        workbook.Position = origin;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true);
            _ = zip.Entries.Count;
        }
        catch (InvalidDataException)
        {
            // Damaged: ExcelDataReader fails on it the same way and says so.
            return 0;
        }

        using (zip)
        {
            if (zip.Entries.Count > limits.MaxEntries)
            {
                throw Refuse($"its zip holds {zip.Entries.Count:N0} entries, more than {limits.MaxEntries:N0} (limit {nameof(WorkbookLimits.MaxEntries)})");
            }

            var buffer = new byte[BufferBytes];
            var tag = new byte[limits.MaxNodeBytes];
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                CheckDeclared(entry, limits);
                total += ReadEntry(entry, limits, buffer, tag, limits.MaxTotalBytes - total, cancellationToken);
            }

            return total;
        }
    }

    private static void CheckDeclared(ZipArchiveEntry entry, WorkbookLimits limits)
    {
        var largest = Math.Max(limits.MaxWorksheetBytes, limits.MaxOtherPartBytes);
        if (entry.Length > largest)
        {
            throw Refuse($"its part {entry.FullName} declares {entry.Length:N0} bytes uncompressed, more than any part may hold ({largest:N0}, limit {nameof(WorkbookLimits.MaxWorksheetBytes)})");
        }

        CheckRatio(entry, entry.Length, limits, "declares");
    }

    private static void CheckRatio(ZipArchiveEntry entry, long uncompressed, WorkbookLimits limits, string verb)
    {
        if (uncompressed >= limits.CompressionRatioFloorBytes && uncompressed > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
        {
            throw Refuse(
                $"its part {entry.FullName} {verb} {uncompressed:N0} bytes from {entry.CompressedLength:N0} compressed, more than {limits.MaxCompressionRatio:N0} times (limit {nameof(WorkbookLimits.MaxCompressionRatio)}): a zip bomb");
        }
    }

    /// <summary>Reads one entry through, never further than its limit; the bytes it really unpacked to.</summary>
    private static long ReadEntry(ZipArchiveEntry entry, WorkbookLimits limits, byte[] buffer, byte[] tag, long totalLeft, CancellationToken cancellationToken)
    {
        Stream content;
        try
        {
            content = entry.Open();
        }
        catch (InvalidDataException)
        {
            // An entry the zip library cannot open (unknown method, damaged header) cannot be read by ExcelDataReader either.
            return 0;
        }

        using (content)
        {
            WorkbookXmlScanner? scanner = null;
            var limit = Math.Max(limits.MaxWorksheetBytes, limits.MaxOtherPartBytes);
            var limitName = nameof(WorkbookLimits.MaxWorksheetBytes);
            long read = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count;
                try
                {
                    // Never ask for more than one byte past what is allowed: that byte is the proof it passed.
                    count = content.Read(buffer, 0, (int)Math.Min(buffer.Length, Math.Min(limit, totalLeft) - read + 1));
                }
                catch (InvalidDataException)
                {
                    // Damaged data: the reader fails on it too.
                    return read;
                }

                if (count == 0)
                {
                    break;
                }

                if (read == 0)
                {
                    // Only XML parts are parsed by the reader; anything else (images, printer settings) is only measured.
                    scanner = LooksLikeXml(buffer.AsSpan(0, count)) ? new WorkbookXmlScanner(entry.FullName, limits, tag) : null;
                    (limit, limitName) = scanner is null ? (limits.MaxOtherPartBytes, nameof(WorkbookLimits.MaxOtherPartBytes)) : (limit, limitName);
                }

                read += count;
                if (read > totalLeft)
                {
                    throw Refuse($"its parts unpack to more than {limits.MaxTotalBytes:N0} bytes together (limit {nameof(WorkbookLimits.MaxTotalBytes)})");
                }

                if (read > limit)
                {
                    throw Refuse($"its part {entry.FullName} unpacks to more than {limit:N0} bytes (limit {limitName}){Advice(limitName)}");
                }

                if (read > entry.Length)
                {
                    throw Refuse($"its part {entry.FullName} unpacks to more than the {entry.Length:N0} bytes it declares");
                }

                CheckRatio(entry, read, limits, "unpacks to");
                if (scanner is not null)
                {
                    var rootBefore = scanner.Root;
                    scanner.Scan(buffer.AsSpan(0, count));
                    if (rootBefore is null && scanner.Root is { } root)
                    {
                        (limit, limitName) = LimitFor(root, limits);
                        if (read > limit)
                        {
                            throw Refuse($"its part {entry.FullName} unpacks to more than {limit:N0} bytes (limit {limitName}){Advice(limitName)}");
                        }
                    }
                }
            }

            if (read != entry.Length)
            {
                throw Refuse($"its part {entry.FullName} unpacks to {read:N0} bytes but declares {entry.Length:N0}");
            }

            scanner?.Finish();
            return read;
        }
    }

    /// <summary>The part's size limit by what it is: only worksheets are streamed, the rest is held whole.</summary>
    private static (long Limit, string Name) LimitFor(string root, WorkbookLimits limits) => root switch
    {
        "worksheet" => (limits.MaxWorksheetBytes, nameof(WorkbookLimits.MaxWorksheetBytes)),
        "sst" => (limits.MaxSharedStringsBytes, nameof(WorkbookLimits.MaxSharedStringsBytes)),
        _ => (limits.MaxOtherPartBytes, nameof(WorkbookLimits.MaxOtherPartBytes)),
    };

    /// <summary>What to do about a refusal on <paramref name="limitName"/>, when there is something to say.</summary>
    private static string Advice(string limitName) =>
        limitName == nameof(WorkbookLimits.MaxSharedStringsBytes) ? WorkbookLimits.SharedStringsAdvice : string.Empty;

    private static bool LooksLikeXml(ReadOnlySpan<byte> start)
    {
        var content = start.StartsWith("\uFEFF"u8) ? start[3..] : start;
        content = content.TrimStart(" \t\r\n"u8);
        return !content.IsEmpty && content[0] == (byte)'<';
    }

    /// <summary>
    /// The entry count and directory size from the end-of-central-directory record (or its Zip64 form); null when
    /// there is none, and the zip library is left to say the file is damaged.
    /// </summary>
    private static (long Entries, long DirectoryBytes)? ReadDirectoryExtent(Stream workbook, long origin)
    {
        // Almost every zip ends with the record itself (no comment): look there before reading the longest possible tail.
        var size = workbook.Length - origin;
        return size < EndOfCentralDirectoryBytes
            ? null
            : ReadDirectoryExtent(workbook, origin, EndOfCentralDirectoryBytes)
                ?? ReadDirectoryExtent(workbook, origin, (int)Math.Min(size, EndOfCentralDirectoryBytes + MaxCommentBytes));
    }

    private static (long Entries, long DirectoryBytes)? ReadDirectoryExtent(Stream workbook, long origin, int tailLength)
    {
        var tail = new byte[tailLength];
        workbook.Position = workbook.Length - tailLength;
        workbook.ReadExactly(tail);
        for (var at = tailLength - EndOfCentralDirectoryBytes; at >= 0; at--)
        {
            var record = tail.AsSpan(at);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != EndOfCentralDirectorySignature)
            {
                continue;
            }

            long entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            long directoryBytes = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            if (entries == ushort.MaxValue || directoryBytes == uint.MaxValue)
            {
                return ReadZip64Extent(workbook, origin, workbook.Length - tailLength + at) ?? (entries, directoryBytes);
            }

            return (entries, directoryBytes);
        }

        return null;
    }

    private static (long Entries, long DirectoryBytes)? ReadZip64Extent(Stream workbook, long origin, long endRecordAt)
    {
        const int LocatorBytes = 20;
        const int Zip64EndBytes = 56;
        if (endRecordAt - LocatorBytes < origin)
        {
            return null;
        }

        Span<byte> locator = stackalloc byte[LocatorBytes];
        workbook.Position = endRecordAt - LocatorBytes;
        workbook.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var zip64At = origin + (long)BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]);
        if (zip64At < origin || zip64At > workbook.Length - Zip64EndBytes)
        {
            return null;
        }

        Span<byte> record = stackalloc byte[Zip64EndBytes];
        workbook.Position = zip64At;
        workbook.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            return null;
        }

        var entries = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
        var directoryBytes = BinaryPrimitives.ReadUInt64LittleEndian(record[40..]);
        return ((long)Math.Min(entries, long.MaxValue), (long)Math.Min(directoryBytes, long.MaxValue));
    }

    private static NotAClockExportException Refuse(FormattableString why) =>
        new($"the workbook is refused before reading: {why.ToString(CultureInfo.InvariantCulture)}");
}
