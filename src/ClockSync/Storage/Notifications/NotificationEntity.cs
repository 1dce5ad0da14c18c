using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Notifications;

/// <summary>
/// A marker in the <c>Notifications</c> table: PartitionKey = what it is about (<c>import</c>, <c>condition</c>),
/// RowKey = which one (an import id, <c>posting</c>, <c>credentials</c>, <c>parked-digest</c>). Whoever writes it
/// (insert, or an ETag-guarded update) is the one instance that sends the card.
/// </summary>
public sealed class NotificationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>For a state marker, the state last announced (e.g. <c>stopped</c>, <c>running</c>).</summary>
    public string? State { get; set; }

    /// <summary>When the marker was last claimed: the start of the current at-most-every window.</summary>
    public DateTimeOffset ClaimedUtc { get; set; }

    /// <summary>The <c>message_id</c> of the card sent under the last claim, if it went out.</summary>
    public string? MessageId { get; set; }

    /// <summary>Why the card of the last claim did not go out (code, msg, log id), for operators.</summary>
    public string? LastError { get; set; }
}
