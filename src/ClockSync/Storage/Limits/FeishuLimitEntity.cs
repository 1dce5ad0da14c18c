using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Limits;

/// <summary>
/// The row every instance reserves its Feishu calls from: PartitionKey = app id, RowKey = <see cref="Key"/>, in the
/// <c>FeishuCalls</c> table next to the app's daily counts (it is the same account of calls, made before they happen).
/// Only <see cref="SharedFeishuCallGate"/> reads and writes it, always under its ETag.
/// </summary>
public sealed class FeishuLimitEntity : ITableEntity
{
    public const string Key = "limit";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = Key;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>UTC ticks of the first send slot nobody holds yet (the shared rate limit's theoretical arrival time).</summary>
    public long NextSlotTicks { get; set; }

    /// <summary>UTC ticks until which Feishu asked every caller to wait (a 429's reset time).</summary>
    public long PausedUntilTicks { get; set; }

    /// <summary>The quota month (China time, <c>yyyy-MM</c>) <see cref="BudgetReserved"/> counts.</summary>
    public string? BudgetMonth { get; set; }

    /// <summary>Calls reserved from the monthly budget this month, by every instance (made, or held to be made).</summary>
    public long BudgetReserved { get; set; }

    /// <summary>Whether this month's 90 % warning was given (once, by the instance whose reservation crossed it).</summary>
    public bool BudgetWarned { get; set; }
}
