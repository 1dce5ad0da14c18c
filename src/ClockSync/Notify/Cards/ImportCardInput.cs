using ClockSync.Pipeline;
using ClockSync.Punches;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Notify.Cards;

/// <summary>
/// The figures of one settled import's card: what the file held (the import report), what posting did (the posting
/// counts), and what the failed-batch rows say. <see cref="HeldUsers"/>, <see cref="HeldPunches"/> and
/// <see cref="CallBudget"/> come from outside those (the held punches' store, the options) and are filled by
/// <see cref="Pipeline.ImportSettledNotifier"/>; the card leaves out what is empty.
/// </summary>
public sealed record ImportCardInput
{
    public required string ImportId { get; init; }

    /// <summary>The export's name (without its container).</summary>
    public required string File { get; init; }

    /// <summary><see cref="ImportReport.Imported"/>, <see cref="ImportReport.NotAnExport"/> or <see cref="ImportReport.Unreadable"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Why the file was not (fully) read.</summary>
    public string? Reason { get; init; }

    public string? Format { get; init; }

    public string? Encoding { get; init; }

    public long Lines { get; init; }

    public long Accepted { get; init; }

    public long Rejected { get; init; }

    /// <summary>The first rejections in file order (the report's list).</summary>
    public IReadOnlyList<PunchRejection> Rejections { get; init; } = [];

    public long Duplicates { get; init; }

    public long AlreadyImported { get; init; }

    /// <summary>Punches this import queued for Feishu.</summary>
    public long NewPunches { get; init; }

    public long Posted { get; init; }

    /// <summary>Punches parked (given up on, or refused for good).</summary>
    public long Parked { get; init; }

    /// <summary>Distinct reasons of the import's parked rows.</summary>
    public IReadOnlyList<string> ParkReasons { get; init; } = [];

    /// <summary>Clock keys whose punches wait because Feishu does not know the user.</summary>
    public IReadOnlyList<string> HeldUsers { get; init; } = [];

    public long HeldPunches { get; init; }

    /// <summary>Feishu calls the app made this month, when known.</summary>
    public long? CallsThisMonth { get; init; }

    /// <summary>The monthly call budget, when one is set.</summary>
    public long? CallBudget { get; init; }

    /// <summary>The export's name from an import's <c>container/name</c>.</summary>
    public static string FileOf(string blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return blob[(blob.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>The figures from an import's report (null when it could not be read: the row's counts are used), its
    /// totals and the reasons of its parked rows.</summary>
    public static ImportCardInput From(ImportReport? report, ImportTotals totals, IReadOnlyList<string> parkReasons)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(parkReasons);
        var row = totals.Import;
        var summary = report?.Summary;
        return new ImportCardInput
        {
            ImportId = row.PartitionKey,
            File = FileOf(row.Blob),
            Status = report?.Status ?? row.State switch
            {
                ImportState.NotAnExport => ImportReport.NotAnExport,
                ImportState.Unreadable => ImportReport.Unreadable,
                _ => ImportReport.Imported,
            },
            Reason = report?.Reason ?? row.Reason,
            Format = summary?.Format,
            Encoding = summary?.Encoding,
            Lines = row.Lines,
            Accepted = row.Accepted,
            Rejected = row.Rejected,
            Rejections = summary?.Rejections ?? [],
            Duplicates = row.Duplicates,
            AlreadyImported = row.AlreadyImported,
            NewPunches = row.NewPunches,
            Posted = totals.Posting.PunchesPosted,
            Parked = totals.Posting.PunchesParked,
            ParkReasons = parkReasons,
        };
    }
}
