using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ClockSync.Punches;

/// <summary>
/// The account of one export: what <c>clocksync validate --json</c> prints and what the pipeline stores as the import
/// report. Every line is accounted for: <c>Lines == Skipped + Punches + Duplicates + Rejected</c>.
/// </summary>
public sealed record ImportSummary
{
    public required string File { get; init; }

    /// <summary>Short format name (<see cref="ExportFormatNames"/>).</summary>
    public required string Format { get; init; }

    /// <summary>How the text was decoded (<c>UTF-8 (BOM)</c>, <c>GB18030</c>, <c>binary</c> for workbooks, …).</summary>
    public required string Encoding { get; init; }

    /// <summary>The configured IANA zone wall-clock times were read in (per-device overrides aside).</summary>
    public string? TimeZone { get; init; }

    /// <summary>Physical lines (spreadsheet rows) read.</summary>
    public long Lines { get; init; }

    /// <summary>Blank, header, title, serial-number and checksum lines.</summary>
    public long Skipped { get; init; }

    /// <summary>Accepted unique punches.</summary>
    public long Punches { get; init; }

    /// <summary>
    /// Accepted punches dropped because the same punch came earlier in the file: the same user at the same second
    /// (whatever the device), or within the same minute when a time has no seconds.
    /// </summary>
    public long Duplicates { get; init; }

    public long Rejected { get; init; }

    /// <summary>The first rejections in file order, up to the configured cap.</summary>
    public IReadOnlyList<PunchRejection> Rejections { get; init; } = [];

    /// <summary>Rejections counted in <see cref="Rejected"/> but not listed, past the cap.</summary>
    public long RejectionsOmitted { get; init; }

    /// <summary>Distinct user keys among the accepted punches.</summary>
    public int Users { get; init; }

    /// <summary>Feishu calls the punches make (batches of at most the batch size).</summary>
    public long Batches { get; init; }

    /// <summary>Earliest accepted <c>check_time</c> (Unix seconds), or null with no punches.</summary>
    public long? FirstCheckTime { get; init; }

    /// <summary>Latest accepted <c>check_time</c> (Unix seconds), or null with no punches.</summary>
    public long? LastCheckTime { get; init; }

    /// <summary>
    /// Punches counted as duplicates or already imported because they matched at minute precision: a time without
    /// seconds matched a punch of that user in that minute, or a time with seconds matched one recorded without.
    /// </summary>
    public long MatchedAtMinutePrecision { get; init; }

    /// <summary>Punches found already imported under their version-1 fingerprint (by a release before identity v2).</summary>
    public long MatchedVersion1 { get; init; }

    /// <summary>
    /// Accepted punches at a wall time a daylight-saving fall-back repeats, placed by the overlap rule: a user's first
    /// occurrence at the earlier instant, the second at the later one.
    /// </summary>
    public long DstOverlap { get; init; }

    /// <summary>Of <see cref="DstOverlap"/>, the punches placed at the later instant.</summary>
    public long DstOverlapLater { get; init; }

    /// <summary>
    /// camelCase, indented; Chinese text and quotes written as is, so operators can read the report. The relaxed
    /// encoder only matters for JSON pasted into HTML, which a report never is.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(PunchesJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, (JsonTypeInfo<ImportSummary>)JsonOptions.GetTypeInfo(typeof(ImportSummary)));

    public static ImportSummary FromJson(string json) =>
        JsonSerializer.Deserialize(json, (JsonTypeInfo<ImportSummary>)JsonOptions.GetTypeInfo(typeof(ImportSummary)))
        ?? throw new JsonException("The import summary is null.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ImportSummary))]
[JsonSerializable(typeof(Punch))]
[JsonSerializable(typeof(PunchBatch))]
internal sealed partial class PunchesJsonContext : JsonSerializerContext;
