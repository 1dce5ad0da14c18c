using System.Diagnostics.CodeAnalysis;

namespace ClockSync.Exports;

/// <summary>
/// The short names of export formats used on the command line (<c>--format</c>), in configuration and in reports:
/// <c>attlog</c>, <c>push</c>, <c>text-report</c>, <c>csv</c> (any delimited text), <c>excel</c>.
/// </summary>
public static class ExportFormatNames
{
    private static readonly (string Name, ExportFormat Format)[] Names =
    [
        ("attlog", ExportFormat.ZkTecoAttLog),
        ("push", ExportFormat.ZkTecoPush),
        ("text-report", ExportFormat.ClockTextReport),
        ("csv", ExportFormat.Delimited),
        ("excel", ExportFormat.Excel),
    ];

    public static IReadOnlyList<string> All { get; } = Array.ConvertAll(Names, n => n.Name);

    public static string ToName(ExportFormat format)
    {
        foreach (var (name, known) in Names)
        {
            if (known == format)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
    }

    /// <summary>Accepts the short names, case-insensitive, and the enum member names.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ExportFormat? format)
    {
        format = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        foreach (var (name, known) in Names)
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase)
                || string.Equals(known.ToString(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                format = known;
                return true;
            }
        }

        return false;
    }
}
