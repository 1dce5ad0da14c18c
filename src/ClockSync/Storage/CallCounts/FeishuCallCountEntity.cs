using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ClockSync.Feishu.Accounting;

namespace ClockSync.Storage.CallCounts;

/// <summary>
/// One row of <c>FeishuCalls</c>: PartitionKey = app id, RowKey = <c>yyyyMMdd-Kind</c> (UTC day), Count = HTTP requests
/// sent. One partition per app keeps a month's quota a single partition query.
/// </summary>
public sealed class FeishuCallCountEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long Count { get; set; }

    public static string RowKeyFor(DateOnly utcDay, FeishuCallKind kind) =>
        utcDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + kind.ToString();
}
