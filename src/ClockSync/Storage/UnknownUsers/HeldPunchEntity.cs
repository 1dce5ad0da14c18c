using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.UnknownUsers;

/// <summary>
/// A punch set aside because Feishu does not know its user: PartitionKey <c>held</c>, RowKey its fingerprint (the
/// <c>idempotent_id</c> it keeps when it is posted), with the clock key and the record as it was (enough to map it again).
/// </summary>
public sealed class HeldPunchEntity : ITableEntity
{
    public string PartitionKey { get; set; } = UnknownUserStore.HeldPartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The clock's user key: what a changed id mapping is looked up with.</summary>
    public string ClockKey { get; set; } = string.Empty;

    /// <summary>The Feishu id it was mapped to when Feishu refused it.</summary>
    public string FeishuId { get; set; } = string.Empty;

    /// <summary>The <see cref="Batches.BatchRecord"/> as JSON: instant, device location, comment, fingerprint, line.</summary>
    public string Record { get; set; } = "{}";

    public string ImportId { get; set; } = string.Empty;

    public int BatchNo { get; set; }

    public DateTimeOffset HeldUtc { get; set; }
}
