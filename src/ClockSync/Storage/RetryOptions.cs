using System.ComponentModel.DataAnnotations;

namespace ClockSync.Storage;

/// <summary>
/// How failed batches are retried, bound from <c>ClockSync:Retry</c>. The delay before attempt n+1 is
/// <c>BaseDelay·2^(n-1)</c> capped at <see cref="MaxDelay"/>, with "equal jitter" (between half and all of it) so that
/// batches failed together by one 429 storm do not come back together; a server's Retry-After is a floor.
/// </summary>
public sealed class RetryOptions
{
    public const string SectionName = "ClockSync:Retry";

    /// <summary>NCRONTAB schedule of the retry timer (the timer trigger reads the same value from the flat setting <c>ClockSyncRetrySchedule</c>).</summary>
    [Required]
    public string Schedule { get; set; } = "0 */5 * * * *";

    /// <summary>Attempts (the first post included) before a batch is parked.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claimed row stays invisible to other retry runs. A run that dies mid-post releases its rows when the
    /// lease lapses, so nothing is lost; it must outlast one post (rate-limit wait plus HTTP timeout) comfortably.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Auth failures in a row before a batch is parked. The client already refreshed the token and re-read the
    /// secrets before reporting one, so repeating it only burns quota: an operator has to fix the credentials.
    /// </summary>
    [Range(1, 100)]
    public int AuthFailuresBeforeParking { get; set; } = 2;

    /// <summary>Most rows one run claims, so one timer run stays well inside the function timeout.</summary>
    [Range(1, 100_000)]
    public int MaxRowsPerRun { get; set; } = 500;
}
