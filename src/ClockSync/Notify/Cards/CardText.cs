using System.Text;
using System.Text.Json.Nodes;

namespace ClockSync.Notify.Cards;

/// <summary>A card as plain text, for a terminal (<c>clocksync demo</c>) or a log: the header with its colour, then
/// each element's text with the lark_md bold marks dropped.</summary>
public static class CardText
{
    public static string Render(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var text = new StringBuilder();
        var title = card["header"]?["title"]?["content"]?.GetValue<string>() ?? "";
        var colour = card["header"]?["template"]?.GetValue<string>() ?? "";
        text.Append('[').Append(colour.ToUpperInvariant()).Append("] ").Append(title).Append('\n');
        foreach (var element in card["elements"]?.AsArray() ?? [])
        {
            switch (element?["tag"]?.GetValue<string>())
            {
                case "div":
                    foreach (var line in (element["text"]?["content"]?.GetValue<string>() ?? "").Split('\n'))
                    {
                        text.Append("  ").Append(line.Replace("**", "", StringComparison.Ordinal)).Append('\n');
                    }

                    break;
                case "hr":
                    text.Append("  ").Append('-', 40).Append('\n');
                    break;
                case "note":
                    var parts = (element["elements"]?.AsArray() ?? []).Select(part => part?["content"]?.GetValue<string>() ?? "");
                    text.Append("  ").AppendJoin(" · ", parts).Append('\n');
                    break;
            }
        }

        return text.ToString();
    }
}
