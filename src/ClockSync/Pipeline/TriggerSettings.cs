using Microsoft.Extensions.Configuration;

namespace ClockSync.Pipeline;

/// <summary>
/// The app settings the trigger attributes name (<c>%Setting%</c>): the exports container, the batch queue and the
/// retry schedule. They are flat names on purpose. The host resolves <c>%A:B:C%</c> through its configuration, which
/// maps <c>A__B__C</c> to <c>A:B:C</c>, but the platform's scale controller reads the raw app settings to watch a queue
/// or a container, and a colon path is not an app setting name it can look up. A name without separators reads the
/// same everywhere. The pipeline itself reads the same values from <c>ClockSync__Storage__*</c> and
/// <c>ClockSync__Retry__Schedule</c>; <see cref="AgreesWith"/> makes the start fail when the two disagree, so a trigger
/// can never listen on one queue while the code sends to another.
/// </summary>
public static class TriggerSettings
{
    /// <summary>Container the blob trigger watches; the same value as <c>ClockSync__Storage__ExportsContainer</c>.</summary>
    public const string ExportsContainer = "ClockSyncExportsContainer";

    /// <summary>Queue the batch trigger listens on; the same value as <c>ClockSync__Storage__BatchQueue</c>.</summary>
    public const string BatchQueue = "ClockSyncBatchQueue";

    /// <summary>NCRONTAB schedule of the retry timer; the same value as <c>ClockSync__Retry__Schedule</c>.</summary>
    public const string RetrySchedule = "ClockSyncRetrySchedule";

    /// <summary>The blob trigger's path.</summary>
    public const string ExportsPath = "%" + ExportsContainer + "%/{name}";

    /// <summary>The queue trigger's queue name.</summary>
    public const string BatchQueueName = "%" + BatchQueue + "%";

    /// <summary>The timer trigger's schedule.</summary>
    public const string RetryScheduleExpression = "%" + RetrySchedule + "%";

    /// <summary>
    /// True when the flat <paramref name="setting"/> is absent (the host then reports the unresolved expression
    /// itself) or equals <paramref name="value"/>, the pipeline's own setting.
    /// </summary>
    public static bool AgreesWith(IConfiguration configuration, string setting, string value)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var flat = configuration[setting];
        return flat is null || string.Equals(flat, value, StringComparison.Ordinal);
    }
}
