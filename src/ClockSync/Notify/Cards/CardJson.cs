using System.Globalization;
using System.Text.Json.Nodes;

namespace ClockSync.Notify.Cards;

/// <summary>
/// The few parts of a Feishu interactive card (message card JSON 1.0) ClockSync's cards are made of: a coloured header,
/// <c>div</c>s of <c>lark_md</c> text, rules, and a grey <c>note</c> footer.
/// </summary>
internal static class CardJson
{
    public static JsonObject Card(string title, CardColour colour, IEnumerable<JsonNode> elements) => new()
    {
        ["config"] = new JsonObject { ["wide_screen_mode"] = true },
        ["header"] = new JsonObject
        {
            ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = title },
            ["template"] = colour.ToString().ToLowerInvariant(),
        },
        ["elements"] = new JsonArray([.. elements]),
    };

    public static JsonObject Text(string larkMarkdown) => new()
    {
        ["tag"] = "div",
        ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = larkMarkdown },
    };

    public static JsonObject Rule() => new() { ["tag"] = "hr" };

    public static JsonObject Note(params IEnumerable<string> lines) => new()
    {
        ["tag"] = "note",
        ["elements"] = new JsonArray([.. lines.Select(line => (JsonNode)new JsonObject { ["tag"] = "plain_text", ["content"] = line })]),
    };

    /// <summary>A count with thousands separators, as operators read it.</summary>
    public static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Text from outside (file names, reasons) as it goes into lark_md: one line, at most <paramref name="maxLength"/>
    /// characters, and without the two marks that would format it (<c>*</c> and <c>~~</c>; lark_md has no escape).
    /// </summary>
    public static string Plain(string text, int maxLength = 300)
    {
        var flat = text.ReplaceLineEndings(" ").Replace('*', '＊').Replace("~~", "~", StringComparison.Ordinal);
        return flat.Length <= maxLength ? flat : string.Concat(flat.AsSpan(0, maxLength - 1), "…");
    }

    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
