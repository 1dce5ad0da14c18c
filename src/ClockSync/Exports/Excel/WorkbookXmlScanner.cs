using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ClockSync.Exports.Excel;

/// <summary>
/// Walks one XML part of a workbook byte by byte and refuses it, before ExcelDataReader reads it, when its shape would
/// make the reader hold too much: a node, nesting, shared strings, elements, sheets, rows, columns or row bytes past
/// <see cref="WorkbookLimits"/>. Holds one node's bytes at most (tags are buffered up to the node limit, text and
/// comments only counted), whatever the part: an <see cref="System.Xml.XmlReader"/> would itself buffer a whole tag or
/// comment of any length. Comments, CDATA and processing instructions are measured like text; a DTD is refused
/// (spreadsheet parts never carry one).
/// </summary>
internal sealed partial class WorkbookXmlScanner
{
    private const int CommentEnd = ('-' << 16) | ('-' << 8) | '>';
    private const int CDataEnd = (']' << 16) | (']' << 8) | '>';
    private const int InstructionEnd = ('?' << 8) | '>';

    private static readonly byte[] CommentStart = "!--"u8.ToArray();
    private static readonly byte[] CDataStart = "![CDATA["u8.ToArray();

    private readonly string _part;
    private readonly WorkbookLimits _limits;
    private readonly bool _isWorkbookRelationships;
    private readonly byte[] _tag;
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

    private State _state = State.Text;
    private int _tagLength;
    private long _nodeLength;
    private byte _quote;
    private int _tail;
    private long _offset;
    private int _depth;
    private string? _root;
    private bool _rootClosed;

    private long _elements;
    private long _sharedStrings;
    private int _sheets;

    private int _sheetDataDepth = -1;
    private long _row;
    private long _rowStart;
    private long _column;
    private long _cellsInRow;

    public WorkbookXmlScanner(string part, WorkbookLimits limits, byte[] tagBuffer)
    {
        _part = part;
        _limits = limits;
        _tag = tagBuffer;
        _isWorkbookRelationships = part.Equals("xl/_rels/workbook.xml.rels", StringComparison.OrdinalIgnoreCase);
    }

    private enum State
    {
        Text,
        Markup,
        Comment,
        CData,
        Instruction,
    }

    /// <summary>The local name of the root element once it has been read (<c>worksheet</c>, <c>sst</c>…).</summary>
    public string? Root => _root;

    /// <summary>Shared strings (<c>si</c> elements) counted so far.</summary>
    public long SharedStrings => _sharedStrings;

    public void Scan(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            switch (_state)
            {
                case State.Text:
                    var lt = chunk[i..].IndexOf((byte)'<');
                    var text = lt < 0 ? chunk.Length - i : lt;
                    _nodeLength += text;
                    CheckNode();
                    if (lt < 0)
                    {
                        _offset += text;
                        return;
                    }

                    _offset += text + 1;
                    i += text + 1;
                    _state = State.Markup;
                    _tagLength = 0;
                    _nodeLength = 0;
                    _quote = 0;
                    break;

                case State.Markup:
                    i = ScanMarkup(chunk, i);
                    break;

                default:
                    i = ScanUntilEnd(chunk, i);
                    break;
            }
        }
    }

    /// <summary>At the end of the part: it must have closed what it opened (a declared size cut short shows here).</summary>
    public void Finish()
    {
        if (_root is not null && (_state != State.Text || _depth != 0))
        {
            throw Refuse($"ends inside an element after {_offset:N0} bytes: cut short (is its declared size smaller than its content?)");
        }
    }

    private int ScanMarkup(ReadOnlySpan<byte> chunk, int i)
    {
        for (; i < chunk.Length; i++)
        {
            var b = chunk[i];
            _offset++;
            if (_quote != 0)
            {
                _quote = b == _quote ? (byte)0 : _quote;
            }
            else if (b == (byte)'>')
            {
                EndTag();
                _state = State.Text;
                _nodeLength = 0;
                return i + 1;
            }
            else if (b is (byte)'"' or (byte)'\'')
            {
                _quote = b;
            }

            if (_tagLength == _tag.Length)
            {
                throw Refuse($"has a tag longer than {_limits.MaxNodeBytes:N0} bytes (limit {nameof(WorkbookLimits.MaxNodeBytes)})");
            }

            _tag[_tagLength++] = b;
            if (_tag[0] == (byte)'?')
            {
                EnterUntilEnd(State.Instruction);
                return i + 1;
            }

            if (_tag[0] == (byte)'!')
            {
                var sofar = _tag.AsSpan(0, _tagLength);
                if (sofar.SequenceEqual(CommentStart))
                {
                    EnterUntilEnd(State.Comment);
                    return i + 1;
                }

                if (sofar.SequenceEqual(CDataStart))
                {
                    EnterUntilEnd(State.CData);
                    return i + 1;
                }

                if (!CommentStart.AsSpan().StartsWith(sofar) && !CDataStart.AsSpan().StartsWith(sofar))
                {
                    throw Refuse($"holds a document type declaration, which spreadsheet parts never carry");
                }
            }
        }

        return i;
    }

    private void EnterUntilEnd(State state)
    {
        _state = state;
        _nodeLength = _tagLength;
        _tail = 0;
        _quote = 0;
    }

    /// <summary>Comments, CDATA and processing instructions: counted as one node up to their terminator.</summary>
    private int ScanUntilEnd(ReadOnlySpan<byte> chunk, int i)
    {
        var end = _state switch
        {
            State.Comment => CommentEnd,
            State.CData => CDataEnd,
            _ => InstructionEnd,
        };
        var mask = _state == State.Instruction ? 0xFFFF : 0xFFFFFF;
        for (; i < chunk.Length; i++)
        {
            _offset++;
            _nodeLength++;
            _tail = ((_tail << 8) | chunk[i]) & 0xFFFFFF;
            if ((_tail & mask) == end)
            {
                CheckNode();
                _state = State.Text;
                _nodeLength = 0;
                return i + 1;
            }
        }

        CheckNode();
        return i;
    }

    private void CheckNode()
    {
        if (_nodeLength > _limits.MaxNodeBytes)
        {
            throw Refuse($"has a text or comment longer than {_limits.MaxNodeBytes:N0} bytes (limit {nameof(WorkbookLimits.MaxNodeBytes)})");
        }
    }

    private void EndTag()
    {
        var tag = _tag.AsSpan(0, _tagLength);
        if (tag.IsEmpty)
        {
            return;
        }

        if (tag[0] == (byte)'/')
        {
            _depth--;
            if (_depth < _sheetDataDepth)
            {
                _sheetDataDepth = -1;
            }

            _rootClosed |= _depth == 0;
            return;
        }

        var selfClosing = tag[^1] == (byte)'/';
        var name = Name(tag);
        var local = name[(name.LastIndexOf((byte)':') + 1)..];
        if (_root is null)
        {
            _root = Encoding.UTF8.GetString(local);
        }
        else if (_rootClosed)
        {
            throw Refuse($"has more than one root element");
        }

        if (!selfClosing && ++_depth > _limits.MaxDepth)
        {
            throw Refuse($"has elements nesting deeper than {_limits.MaxDepth} (limit {nameof(WorkbookLimits.MaxDepth)})");
        }

        _rootClosed |= selfClosing && _depth == 0;
        if (_sheetDataDepth >= 0)
        {
            SheetDataElement(tag, local);
            return;
        }

        if (_root == "sst")
        {
            if (local.SequenceEqual("si"u8) && ++_sharedStrings > _limits.MaxSharedStrings)
            {
                throw Refuse($"holds more than {_limits.MaxSharedStrings:N0} shared strings (limit {nameof(WorkbookLimits.MaxSharedStrings)}){WorkbookLimits.SharedStringsAdvice}");
            }

            return;
        }

        if (++_elements > _limits.MaxElementsPerPart)
        {
            throw Refuse($"holds more than {_limits.MaxElementsPerPart:N0} elements (limit {nameof(WorkbookLimits.MaxElementsPerPart)})");
        }

        if (local.SequenceEqual("sheetData"u8) && !selfClosing)
        {
            (_sheetDataDepth, _row, _rowStart, _column, _cellsInRow) = (_depth, 0, _offset, 0, 0);
        }
        else if (_root == "workbook" && local.SequenceEqual("sheet"u8))
        {
            if (++_sheets > _limits.MaxSheets)
            {
                throw Refuse($"lists more than {_limits.MaxSheets:N0} sheets (limit {nameof(WorkbookLimits.MaxSheets)})");
            }

            // Two sheets on one relationship (so one part) would have the reader go through that part twice.
            RefuseRepeated(Attribute(tag, "id"u8), "has two sheets naming the same relationship");
        }
        else if (_isWorkbookRelationships && local.SequenceEqual("Relationship"u8))
        {
            // Resolved as ExcelDataReader resolves a sheet's part: "/xl/…" as is, anything else under "xl/".
            var target = Attribute(tag, "Target"u8);
            var resolved = target.StartsWith("/xl/", StringComparison.OrdinalIgnoreCase) ? target[1..] : "xl/" + target;
            RefuseRepeated(target.Length == 0 ? string.Empty : "target " + resolved, "has two relationships pointing at the same part");
        }
    }

    /// <summary>Rows and cells, as ExcelDataReader numbers them: a row or cell without a reference follows the previous one.</summary>
    private void SheetDataElement(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> local)
    {
        if (local.SequenceEqual("row"u8))
        {
            var row = Utf8Parser.TryParse(AttributeBytes(tag, "r"u8), out long number, out var used) && used == AttributeBytes(tag, "r"u8).Length
                ? number
                : _row + 1;
            if (row > _limits.MaxRows)
            {
                throw Refuse($"has a row numbered past {_limits.MaxRows:N0} (limit {nameof(WorkbookLimits.MaxRows)})");
            }

            // Rows repeating a number are merged into one by the reader: their cells and bytes count together.
            if (row != _row)
            {
                (_row, _rowStart, _column, _cellsInRow) = (row, _offset, 0, 0);
            }
        }
        else if (local.SequenceEqual("c"u8))
        {
            var column = ColumnOf(AttributeBytes(tag, "r"u8)) ?? _column + 1;
            if (column > _limits.MaxColumns || ++_cellsInRow > _limits.MaxColumns)
            {
                throw Refuse($"has a cell past column {_limits.MaxColumns:N0}, or more cells than that, in row {_row:N0} (limit {nameof(WorkbookLimits.MaxColumns)})");
            }

            _column = column;
        }

        if (_offset - _rowStart > _limits.MaxRowBytes)
        {
            throw Refuse($"has a row ({_row:N0}) longer than {_limits.MaxRowBytes:N0} bytes (limit {nameof(WorkbookLimits.MaxRowBytes)})");
        }
    }

    private void RefuseRepeated(string key, string what)
    {
        if (key.Length > 0 && !_seen.Add(key))
        {
            throw Refuse($"{what}");
        }
    }

    private NotAClockExportException Refuse(FormattableString why) =>
        new($"the workbook is refused before reading: its part {_part} {why.ToString(CultureInfo.InvariantCulture)}");
}
