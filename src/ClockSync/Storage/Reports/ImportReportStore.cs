using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;

namespace ClockSync.Storage.Reports;

/// <summary>
/// The reports container (<see cref="StorageOptions.ReportsContainer"/>): the ingest writes an export's report here
/// and <c>clocksync status</c> reads it, both by the export's blob name, and only this class turns that name into the
/// report's (<see cref="NameFor"/>).
/// </summary>
public sealed class ImportReportStore(PipelineStorage storage)
{
    /// <summary>The service's limit on a blob name's length.</summary>
    public const int MaxBlobNameLength = 1024;

    private const string Suffix = ".json";

    /// <summary>Hex digits of the hash that marks a name changed to be safe: distinct exports never share a report.</summary>
    private const int HashDigits = 16;

    public async Task WriteAsync(string exportName, string json, CancellationToken cancellationToken) =>
        await storage.Reports.GetBlobClient(NameFor(exportName)).UploadAsync(
            BinaryData.FromString(json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" } },
            cancellationToken);

    /// <summary>The report's JSON, or null when the export has none (not uploaded, or not ingested yet).</summary>
    public async Task<string?> ReadAsync(string exportName, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Reports.GetBlobClient(NameFor(exportName)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The report's blob name for an export: <c>{name}.json</c> when that is safe, else a safe form of it. The export's
    /// name is whatever a sender chose, and a client library or proxy that resolves <c>..</c> (also written <c>%2E%2E</c>)
    /// would carry the report out of its container, so dot segments, empty segments, backslashes and control
    /// characters are replaced, and an overlong name is cut to fit the 1,024-character limit. A changed name ends in a
    /// hash of the original, so two exports never write one report.
    /// </summary>
    public static string NameFor(string exportName)
    {
        ArgumentNullException.ThrowIfNull(exportName);
        var changed = false;
        var segments = new List<string>();
        foreach (var raw in exportName.Split('/'))
        {
            if (raw.Length == 0)
            {
                changed = true;
                continue;
            }

            var segment = new StringBuilder(raw.Length);
            foreach (var c in raw)
            {
                var safe = char.IsControl(c) || c == '\\' ? '_' : c;
                changed |= safe != c;
                segment.Append(safe);
            }

            var text = segment.ToString();
            if (IsDotSegment(text) || text.EndsWith('.'))
            {
                // "..", "." and their percent-encoded forms mean "up" or "here" to whoever decodes the path; a trailing dot is dropped by some clients.
                text = text.Replace('.', '_').Replace('%', '_');
                changed = true;
            }

            segments.Add(text);
        }

        var name = string.Join('/', segments);
        if (name.Length == 0)
        {
            name = "_";
            changed = true;
        }

        if (!changed && name.Length + Suffix.Length <= MaxBlobNameLength)
        {
            return name + Suffix;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(exportName)).AsSpan(0, HashDigits / 2));
        var room = MaxBlobNameLength - Suffix.Length - HashDigits - 1;
        if (name.Length > room)
        {
            name = name[..room];
            if (char.IsHighSurrogate(name[^1]))
            {
                name = name[..^1];
            }

            // The cut must not leave a dot segment or an empty one behind either.
            name = name.TrimEnd('/');
        }

        return string.Create(CultureInfo.InvariantCulture, $"{name}~{hash}{Suffix}");
    }

    private static bool IsDotSegment(string segment)
    {
        var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase).Replace("%2E", ".", StringComparison.Ordinal);
        return decoded is "." or "..";
    }
}
