using ClockSync.Exports.Text;

namespace ClockSync.Exports;

/// <summary>The rejection reason for a time text that did not parse.</summary>
internal static class TimeRejection
{
    public static string Reason(ReadOnlySpan<char> timeText, string? problem)
    {
        var text = BlankText.Trim(timeText);
        return text.IsEmpty ? "time is empty" : $"time {TextQuote.Of(text)} {problem ?? "is not a date-time"}";
    }
}
