using Azure;
using Azure.Data.Tables;

namespace ClockSync.Storage.Ledger;

/// <summary>
/// The day's version row (RowKey <see cref="RowKeyValue"/>). Every claim on the day replaces it in the same
/// transaction as its claim row, conditioned on the ETag the claimant read: two imports claiming on one day at once
/// cannot both succeed, so the loser re-reads the day and drops the punches the winner took.
/// </summary>
public sealed class LedgerHeadEntity : ITableEntity
{
    public const string RowKeyValue = "head";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long Version { get; set; }
}
