using ClockSync.Exports;

namespace ClockSync.Tests.Punches;

/// <summary>Synthetic reader output, so the normaliser is tested without any reader.</summary>
internal static class Records
{
    public static RawRecord Punch(long line, string user, string time, string? device = "1", string? direction = "0", TimeSpan? offset = null, string? name = null) => new()
    {
        Line = line,
        Kind = RawRecordKind.Punch,
        UserKey = user,
        Time = new ExportTime(DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture), offset),
        Device = device,
        Direction = direction,
        Name = name,
    };

    /// <summary>A "now" well after the sample data and well before the far-future lines.</summary>
    public static Microsoft.Extensions.Time.Testing.FakeTimeProvider Now() =>
        new(new DateTimeOffset(2025, 6, 3, 12, 0, 0, TimeSpan.Zero));

    public static long Shanghai(int year, int month, int day, int hour, int minute, int second) =>
        new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromHours(8)).ToUnixTimeSeconds();
}
