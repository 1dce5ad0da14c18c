using System.IO.Compression;
using System.Security;
using System.Text;

namespace ClockSync.Tests.Exports;

/// <summary>
/// Writes a minimal .xlsx with one sheet of inline-string and number cells at given row numbers, for row layouts that
/// spreadsheet programs do not write on request (missing rows, header far down).
/// </summary>
internal static class ExcelTestWorkbook
{
    public static MemoryStream Create(IEnumerable<(int Row, object?[] Cells)> rows)
    {
        var content = new MemoryStream();
        using (var zip = new ZipArchive(content, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml",
                """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Add(zip, "_rels/.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml",
                """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            Add(zip, "xl/worksheets/sheet1.xml", SheetXml(rows));
        }

        content.Position = 0;
        return content;
    }

    private static string SheetXml(IEnumerable<(int Row, object?[] Cells)> rows)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        foreach (var (row, cells) in rows)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<row r=\"{row}\">");
            for (var column = 0; column < cells.Length; column++)
            {
                var reference = $"{(char)('A' + column)}{row}";
                switch (cells[column])
                {
                    case null:
                        break;
                    case double number:
                        xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{number}</v></c>");
                        break;
                    case var text:
                        xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(text.ToString())}</t></is></c>");
                        break;
                }
            }

            xml.Append("</row>");
        }

        return xml.Append("</sheetData></worksheet>").ToString();
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }
}
