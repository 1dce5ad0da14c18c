using System.Globalization;

namespace ClockSync.Storage.Ledger;

/// <summary>The UTC day partition of a check time, by name (<c>yyyyMMdd</c>) or by number (days since 1970-01-01).</summary>
public static class LedgerDays
{
    private const long SecondsPerDay = 86_400;

    public static string DayOf(long checkTime) => Name(NumberOf(checkTime));

    /// <summary>Days since 1970-01-01 UTC, rounded down: a number the ingest compares per punch without formatting a date.</summary>
    public static long NumberOf(long checkTime) => Math.DivRem(checkTime, SecondsPerDay) is var (quotient, remainder) && remainder < 0 ? quotient - 1 : quotient;

    /// <summary>The partition key of day <paramref name="number"/>.</summary>
    public static string Name(long number) =>
        DateTime.UnixEpoch.AddDays(number).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
