using System.Text;

namespace ClockSync.Punches;

/// <summary>The human texts Feishu requires on every punch: <c>location_name</c> and <c>comment</c>.</summary>
internal static class PunchText
{
    // ZKTeco status codes. Nobody sets IN/OUT reliably on a clock, so these only ever decorate the comment.
    private static readonly string[] ZkTecoStatuses = ["上班", "下班", "外出", "外出返回", "加班签到", "加班签退"];

    /// <summary>ZKTeco codes 0–5 as their Chinese names, 255 ("undefined") as nothing, any other text as written.</summary>
    public static string? DirectionLabel(string? direction)
    {
        var text = direction?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length == 1 && text[0] is >= '0' and <= '5')
        {
            return ZkTecoStatuses[text[0] - '0'];
        }

        return text == "255" ? null : text;
    }

    public static string LocationName(PunchOptions options, string? device)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            return options.DefaultLocationName;
        }

        if (options.DeviceLocationNames.TryGetValue(device, out var named) && !string.IsNullOrWhiteSpace(named))
        {
            return named;
        }

        var rendered = Render(options.LocationNameTemplate, [("device", device)]);
        return rendered.Length == 0 ? options.DefaultLocationName : rendered;
    }

    public static string Comment(PunchOptions options, string location, string? device, string? direction, string? name, string userKey)
    {
        var rendered = Render(
            options.CommentTemplate,
            [("location", location), ("device", device), ("direction", DirectionLabel(direction)), ("name", name), ("user", userKey)]);
        return rendered.Length == 0 ? location : rendered;
    }

    /// <summary>Replaces <c>{placeholder}</c>s, then squeezes the whitespace left by missing parts.</summary>
    internal static string Render(string template, ReadOnlySpan<(string Name, string? Value)> values)
    {
        var text = new StringBuilder(template.Length + 32);
        var rest = template.AsSpan();
        while (!rest.IsEmpty)
        {
            var open = rest.IndexOf('{');
            var close = open < 0 ? -1 : rest[open..].IndexOf('}');
            if (close < 0)
            {
                text.Append(rest);
                break;
            }

            text.Append(rest[..open]);
            var name = rest.Slice(open + 1, close - 1);
            var known = false;
            foreach (var (placeholder, value) in values)
            {
                if (name.Equals(placeholder, StringComparison.OrdinalIgnoreCase))
                {
                    text.Append(value?.Trim());
                    known = true;
                    break;
                }
            }

            if (!known)
            {
                text.Append(rest.Slice(open, close + 1));
            }

            rest = rest[(open + close + 1)..];
        }

        return SqueezeWhitespace(text);
    }

    private static string SqueezeWhitespace(StringBuilder text)
    {
        var squeezed = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = squeezed.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                squeezed.Append(' ');
                pendingSpace = false;
            }

            squeezed.Append(c);
        }

        return squeezed.ToString();
    }
}
