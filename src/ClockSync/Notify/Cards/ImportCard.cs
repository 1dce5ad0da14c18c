using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ClockSync.Pipeline;
using static ClockSync.Notify.Cards.CardJson;

namespace ClockSync.Notify.Cards;

/// <summary>
/// The card posted once an import has settled: green when every punch went to Feishu, orange when lines were rejected or
/// punches are held or parked, red when the file could not be (fully) read. Pure: the same input gives the same card.
/// </summary>
public static class ImportCard
{
    /// <summary>Rejections and park reasons listed on the card; the rest are counted ("and 12 more").</summary>
    public const int MaxListed = 5;

    /// <summary>Clock keys of held users listed on the card.</summary>
    public const int MaxHeldUsersListed = 20;

    public static CardColour ColourOf(ImportCardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Status != ImportReport.Imported)
        {
            return CardColour.Red;
        }

        return input.Rejected > 0 || input.Parked > 0 || input.HeldPunches > 0 || input.HeldUsers.Count > 0 ? CardColour.Orange : CardColour.Green;
    }

    public static JsonObject Build(ImportCardInput input)
    {
        var colour = ColourOf(input);
        var file = Plain(input.File, 120);
        var title = colour switch
        {
            CardColour.Red => input.Status == ImportReport.NotAnExport ? $"Not a clock export: {file}" : $"Import failed: {file}",
            CardColour.Orange => $"Imported with problems: {file}",
            _ => $"Imported: {file}",
        };

        var elements = new List<JsonNode>();
        if (input.Status != ImportReport.Imported)
        {
            elements.Add(Text($"**{(input.Status == ImportReport.NotAnExport ? "Not read" : "Reading stopped")}:** {Plain(input.Reason ?? "no reason recorded")}"));
        }

        var source = new StringBuilder($"**File** {file}");
        if (input.Format is not null)
        {
            source.Append(CultureInfo.InvariantCulture, $" · **Format** {Plain(input.Format)}");
        }

        if (input.Encoding is not null)
        {
            source.Append(CultureInfo.InvariantCulture, $" · **Encoding** {Plain(input.Encoding)}");
        }

        source.Append(CultureInfo.InvariantCulture, $" · **Lines** {N(input.Lines)}");
        elements.Add(Text(source.ToString()));
        elements.Add(Text(
            $"**Accepted** {N(input.Accepted)} · **Rejected** {N(input.Rejected)} · **Duplicates** {N(input.Duplicates)} · **Already imported** {N(input.AlreadyImported)}"));

        var posting = new StringBuilder($"**Posted to Feishu** {N(input.Posted)} of {N(input.NewPunches)}");
        if (input.HeldPunches > 0 || input.HeldUsers.Count > 0)
        {
            posting.Append(CultureInfo.InvariantCulture, $" · **Held** {N(input.HeldPunches)}");
        }

        posting.Append(CultureInfo.InvariantCulture, $" · **Parked** {N(input.Parked)}");
        elements.Add(Text(posting.ToString()));

        if (input.Rejected > 0)
        {
            elements.Add(Rule());
            elements.Add(Text(Rejections(input)));
        }

        if (input.HeldUsers.Count > 0)
        {
            elements.Add(Rule());
            var listed = input.HeldUsers.Take(MaxHeldUsersListed).Select(user => Plain(user, 60));
            var more = input.HeldUsers.Count > MaxHeldUsersListed ? $" and {N(input.HeldUsers.Count - MaxHeldUsersListed)} more" : "";
            elements.Add(Text(
                $"**Held for users Feishu does not know** (clock keys): {string.Join(", ", listed)}{more}\nFix their id mapping; their punches post once it changes."));
        }

        if (input.Parked > 0 || input.ParkReasons.Count > 0)
        {
            elements.Add(Rule());
            var reasons = new StringBuilder("**Parked**");
            foreach (var reason in input.ParkReasons.Take(MaxListed))
            {
                reasons.Append("\n• ").Append(Plain(reason, 240));
            }

            if (input.ParkReasons.Count > MaxListed)
            {
                reasons.Append(CultureInfo.InvariantCulture, $"\n… and {N(input.ParkReasons.Count - MaxListed)} more reasons");
            }

            reasons.Append("\nclocksync failed lists the parked batches.");
            elements.Add(Text(reasons.ToString()));
        }

        elements.Add(Rule());
        var notes = new List<string>();
        if (input.CallsThisMonth is { } calls)
        {
            notes.Add(input.CallBudget is { } budget and > 0
                ? $"Feishu calls this month: {N(calls)} of a budget of {N(budget)} ({Math.Round(100.0 * calls / budget, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)} %)"
                : $"Feishu calls this month: {N(calls)}");
        }

        notes.Add($"Import {input.ImportId}");
        elements.Add(Note(notes));
        return Card(title, colour, elements);
    }

    /// <summary>
    /// The top reasons: the report's listed rejections grouped by field, the largest groups first, each with an example
    /// reason and its line numbers; then how many rejections the card does not show.
    /// </summary>
    private static string Rejections(ImportCardInput input)
    {
        var text = new StringBuilder($"**Rejected lines** ({N(input.Rejected)})");
        var groups = input.Rejections
            .GroupBy(rejection => rejection.Field, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count())
            .ThenBy(group => group.First().Line)
            .Take(MaxListed)
            .ToList();
        long shown = 0;
        foreach (var group in groups)
        {
            var lines = group.Select(rejection => rejection.Line).Take(MaxListed).ToList();
            shown += group.Count();
            var others = group.Count() - lines.Count;
            text.Append(CultureInfo.InvariantCulture, $"\n• {Plain(group.Key, 40)}: {Plain(group.First().Reason, 200)} — line{(group.Count() == 1 ? "" : "s")} ")
                .AppendJoin(", ", lines.Select(line => N(line)))
                .Append(others > 0 ? $" and {N(others)} more" : "");
        }

        var more = input.Rejected - shown;
        if (more > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {N(more)} more (the import report lists them)");
        }

        return text.ToString();
    }
}
