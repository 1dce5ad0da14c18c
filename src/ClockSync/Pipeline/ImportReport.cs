using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClockSync.Punches;

namespace ClockSync.Pipeline;

/// <summary>
/// <c>import-reports/{name}.json</c>: the import id, what happened (<see cref="Status"/>), the validate summary with
/// every rejection's line and reason, and what the ledger made of the accepted punches.
/// </summary>
/// <param name="Status"><c>imported</c>, <c>not-an-export</c> or <c>unreadable</c>.</param>
/// <param name="Reason">Why the file was not (fully) read; null when it was.</param>
/// <param name="AlreadyImported">Accepted punches an earlier file already imported (not posted again).</param>
/// <param name="NewPunches">Punches queued for Feishu by this import.</param>
/// <param name="Batches">Queue messages (Feishu calls) of this import.</param>
public sealed record ImportReport(
    string ImportId,
    string Blob,
    string ETag,
    string Status,
    string? Reason,
    long AlreadyImported,
    long NewPunches,
    int Batches,
    ImportSummary? Summary)
{
    /// <summary>
    /// Users of this file Feishu had already refused when it was read, with their new punches: those are held (no call)
    /// until the id mapping names the users; null when there are none. Users refused while this file is posted appear in
    /// <c>clocksync users unknown</c>.
    /// </summary>
    public IReadOnlyList<UnknownUserPunches>? UnknownUsers { get; init; }

    public const string Imported = "imported";
    public const string NotAnExport = "not-an-export";
    public const string Unreadable = "unreadable";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ImportReport FromJson(string json) =>
        JsonSerializer.Deserialize<ImportReport>(json, Json) ?? throw new JsonException("The import report is null.");
}

/// <summary>A user Feishu does not know, and how many of a file's new punches are held for them.</summary>
public sealed record UnknownUserPunches(string FeishuId, long Punches);
