using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.UnknownUsers;

/// <summary>
/// A user Feishu refused (unknown, or outside the app's data scope): PartitionKey <c>user</c>, RowKey the Feishu id
/// (escaped). While the row exists, punches mapped to this id are held without a call.
/// </summary>
public sealed class UnknownUserEntity : ITableEntity
{
    public string PartitionKey { get; set; } = UnknownUserStore.UserPartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The id Feishu refused.</summary>
    public string FeishuId { get; set; } = string.Empty;

    /// <summary>The clock keys whose punches were mapped to it, comma-separated.</summary>
    public string ClockKeys { get; set; } = string.Empty;

    public DateTimeOffset FirstRefusedUtc { get; set; }

    public DateTimeOffset LastRefusedUtc { get; set; }

    public int? Code { get; set; }

    public int? HttpStatus { get; set; }

    public string? Message { get; set; }

    public string? LogId { get; set; }
}
