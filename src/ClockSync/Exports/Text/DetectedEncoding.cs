using System.Text;

namespace ClockSync.Exports.Text;

/// <summary>How an export's text is decoded.</summary>
/// <param name="Name">
/// As reported in summaries: <c>UTF-8</c>, <c>UTF-8 (BOM)</c>, <c>UTF-16LE (BOM)</c>, <c>UTF-16BE (BOM)</c>,
/// <c>UTF-16LE</c>, <c>UTF-16BE</c>, <c>GB18030</c>.
/// </param>
/// <param name="Encoding">Decodes without throwing: invalid bytes become U+FFFD.</param>
/// <param name="BomLength">Bytes of byte-order mark at the start, which are not text.</param>
public sealed record DetectedEncoding(string Name, Encoding Encoding, int BomLength);
