using System.Buffers.Binary;
using System.Text;

namespace ClockSync.Exports.Excel;

/// <summary>
/// The shared-strings count a legacy <c>.xls</c> declares (its SST record's unique count), found by walking the
/// compound file to the <c>Workbook</c> stream and its globals' records. ExcelDataReader reads that many strings into
/// memory before the first row, taking the count on trust; each costs it about 60 bytes even when the file spends
/// three on it.
/// </summary>
/// <remarks>Null when the file is not a compound file it can follow (ExcelDataReader then reports it as damaged), or
/// when the workbook stream is small enough to live in the mini stream (it cannot then hold many strings).</remarks>
internal static class LegacyWorkbookStrings
{
    private const uint EndOfChain = 0xFFFFFFFE;
    private const int HeaderBytes = 512;
    private const int DirectoryEntryBytes = 128;
    private const ushort SstRecord = 0x00FC;
    private const ushort EndOfSubstreamRecord = 0x000A;

    public static long? UniqueCount(Stream workbook, long origin)
    {
        var length = workbook.Length - origin;
        if (length < HeaderBytes)
        {
            return null;
        }

        var header = new byte[HeaderBytes];
        workbook.Position = origin;
        workbook.ReadExactly(header);
        var sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1E));
        if (sectorShift is not (9 or 12))
        {
            return null;
        }

        var file = new CompoundFile(workbook, origin, 1 << sectorShift, length);
        var fat = file.ReadFat(header);
        if (fat is null
            || file.FindStream(fat, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x30))) is not var (start, size)
            || size < BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x38)))
        {
            return null;
        }

        var records = new ChainReader(file, fat, start, size);
        Span<byte> record = stackalloc byte[8];
        while (records.TryRead(record[..4]))
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(record);
            var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(record[2..]);
            if (id == SstRecord)
            {
                return recordLength >= 8 && records.TryRead(record) ? BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) : null;
            }

            if (id == EndOfSubstreamRecord || !records.Skip(recordLength))
            {
                return 0;
            }
        }

        return null;
    }

    private sealed class CompoundFile(Stream stream, long origin, int sectorSize, long length)
    {
        public int SectorSize { get; } = sectorSize;

        /// <summary>Sectors in the file after its header (which takes one sector).</summary>
        public long Sectors { get; } = (length / sectorSize) - 1;

        public bool TryReadSector(uint sector, Span<byte> into)
        {
            if (sector >= Sectors)
            {
                return false;
            }

            stream.Position = origin + ((sector + 1L) * SectorSize);
            stream.ReadExactly(into[..SectorSize]);
            return true;
        }

        /// <summary>The sector allocation table, from the header's 109 entries and the chained DIFAT sectors.</summary>
        public uint[]? ReadFat(byte[] header)
        {
            var fatSectors = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x2C));
            if (fatSectors > Sectors)
            {
                return null;
            }

            var ids = new List<uint>();
            for (var i = 0; i < 109 && ids.Count < fatSectors; i++)
            {
                ids.Add(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x4C + (4 * i))));
            }

            var sector = new byte[SectorSize];
            var difat = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x44));
            for (var guard = 0L; ids.Count < fatSectors && guard < Sectors; guard++)
            {
                if (!TryReadSector(difat, sector))
                {
                    return null;
                }

                for (var j = 0; j < (SectorSize / 4) - 1 && ids.Count < fatSectors; j++)
                {
                    ids.Add(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(4 * j)));
                }

                difat = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(SectorSize - 4));
            }

            var fat = new uint[ids.Count * (SectorSize / 4)];
            for (var i = 0; i < ids.Count; i++)
            {
                if (!TryReadSector(ids[i], sector))
                {
                    return null;
                }

                for (var j = 0; j < SectorSize / 4; j++)
                {
                    fat[(i * (SectorSize / 4)) + j] = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(4 * j));
                }
            }

            return fat;
        }

        /// <summary>The first sector and size of the <c>Workbook</c> (or BIFF5 <c>Book</c>) stream.</summary>
        public (uint Start, long Size)? FindStream(uint[] fat, uint directory)
        {
            var sector = new byte[SectorSize];
            var guard = 0L;
            for (var at = directory; at != EndOfChain && at < fat.Length && guard++ < Sectors; at = fat[at])
            {
                if (!TryReadSector(at, sector))
                {
                    return null;
                }

                for (var entry = 0; entry + DirectoryEntryBytes <= SectorSize; entry += DirectoryEntryBytes)
                {
                    var bytes = sector.AsSpan(entry, DirectoryEntryBytes);
                    var nameBytes = Math.Clamp(BinaryPrimitives.ReadUInt16LittleEndian(bytes[64..]) - 2, 0, 62);
                    var name = Encoding.Unicode.GetString(bytes[..nameBytes]);
                    if (bytes[66] == 2 && name is "Workbook" or "Book")
                    {
                        return (BinaryPrimitives.ReadUInt32LittleEndian(bytes[116..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[120..]));
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Reads a stream's bytes in order along its sector chain, never past its size or a broken chain.</summary>
    private sealed class ChainReader(CompoundFile file, uint[] fat, uint start, long size)
    {
        private readonly byte[] _sector = new byte[file.SectorSize];
        private uint _next = start;
        private int _offset = file.SectorSize;
        private long _left = size;
        private long _sectorsRead;

        public bool TryRead(Span<byte> into)
        {
            while (!into.IsEmpty)
            {
                if (!EnsureSector())
                {
                    return false;
                }

                var count = Math.Min(into.Length, _sector.Length - _offset);
                _sector.AsSpan(_offset, count).CopyTo(into);
                into = into[count..];
                (_offset, _left) = (_offset + count, _left - count);
            }

            return true;
        }

        public bool Skip(int bytes)
        {
            while (bytes > 0)
            {
                if (!EnsureSector())
                {
                    return false;
                }

                var count = Math.Min(bytes, _sector.Length - _offset);
                (bytes, _offset, _left) = (bytes - count, _offset + count, _left - count);
            }

            return true;
        }

        private bool EnsureSector()
        {
            if (_left <= 0)
            {
                return false;
            }

            if (_offset < _sector.Length)
            {
                return true;
            }

            if (_next == EndOfChain || _next >= fat.Length || ++_sectorsRead > file.Sectors || !file.TryReadSector(_next, _sector))
            {
                return false;
            }

            (_next, _offset) = (fat[_next], 0);
            return true;
        }
    }
}
