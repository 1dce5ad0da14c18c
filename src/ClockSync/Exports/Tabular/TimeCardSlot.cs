using System.Text.RegularExpressions;

namespace ClockSync.Exports.Tabular;

/// <summary>
/// One punch column of a time card: an export with one row per person and day and a column per punch of the day
/// (<c>上班1, 下班1, 上班2, 下班2</c>, <c>签到1/签退1</c>, <c>第1次, 第2次…</c>, DingTalk's <c>上班1打卡时间</c>, ZKTime's
/// <c>签到时间/签退时间</c> or <c>Clock In/Clock Out</c>).
/// </summary>
/// <param name="Column">Index of the column.</param>
/// <param name="Label">The header as written (trimmed): names the field in a rejection and is the punch's direction.</param>
internal sealed partial record TimeCardSlot(int Column, string Label)
{
    /// <summary>
    /// Whether a header cell (as <see cref="ColumnAliases.Compact"/> gives it) names a punch slot. Scheduled times are
    /// not punches: ZKTime's card also has <c>上班时间/下班时间</c> (and <c>On duty/Off duty</c>) holding the shift's
    /// hours, so <c>上班</c>/<c>下班</c> count only without the <c>时间</c> suffix or with a slot number.
    /// </summary>
    public static bool IsSlotHeader(ReadOnlySpan<char> compactHeader)
    {
        // Hyphens (上班-1) do not count. Most headers are no slot at all: those are told without allocating.
        Span<char> buffer = compactHeader.Length <= 128 ? stackalloc char[compactHeader.Length] : new char[compactHeader.Length];
        var length = 0;
        foreach (var c in compactHeader)
        {
            if (c != '-')
            {
                buffer[length++] = c;
            }
        }

        var header = buffer[..length];
        if (!SlotPattern().IsMatch(header))
        {
            return false;
        }

        var match = SlotPattern().Match(header.ToString());

        // 上班时间 is a shift's start, and 打卡时间 the single time column of a punch log.
        var notASlot = match.Groups["word"].Value is "上班" or "下班" or "打卡"
            && match.Groups["number"].Length == 0
            && match.Groups["suffix"].Length > 0;
        return !notASlot;
    }

    [GeneratedRegex(
        @"^(?:(?<word>上班|下班|签到|签退|打卡|CHECKIN|CHECKOUT|CLOCKIN|CLOCKOUT)(?<number>[0-9]{1,2})?|(?<word>IN|OUT|时间|TIME)(?<number>[0-9]{1,2})|第(?<number>[0-9]{1,2})次(?:打卡)?)(?<suffix>打卡时间|时间|TIME)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex SlotPattern();
}
