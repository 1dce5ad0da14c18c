using System.ComponentModel.DataAnnotations;

namespace ClockSync.Storage;

/// <summary>
/// Names of the storage resources the pipeline uses, bound from <c>ClockSync:Storage</c> (docs/settings.md). The
/// defaults are the agreed names; every one can be changed per environment (tests use unique names).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "ClockSync:Storage";

    /// <summary>Queue messages are Base64 on the wire; 48 KiB of JSON becomes 64 KiB encoded, the queue's limit.</summary>
    public const int MaxQueueMessageJsonBytes = 48 * 1024;

    /// <summary>
    /// The connection name: either a connection string under that key, or an identity-based section
    /// (<c>{name}__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, optional <c>__clientId</c>).
    /// </summary>
    [Required]
    public string Connection { get; set; } = "ClockSyncStorage";

    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "ExportsContainer is not a valid container name.")]
    public string ExportsContainer { get; set; } = "clock-exports";

    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "ReportsContainer is not a valid container name.")]
    public string ReportsContainer { get; set; } = "import-reports";

    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "ClaimCheckContainer is not a valid container name.")]
    public string ClaimCheckContainer { get; set; } = "punch-batch-payloads";

    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "BatchQueue is not a valid queue name.")]
    public string BatchQueue { get; set; } = "punch-batches";

    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "ImportsTable is not a valid table name.")]
    public string ImportsTable { get; set; } = "Imports";

    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "FailedBatchesTable is not a valid table name.")]
    public string FailedBatchesTable { get; set; } = "FailedBatches";

    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "LedgerTable is not a valid table name.")]
    public string LedgerTable { get; set; } = "ImportLedger";

    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "CallCountsTable is not a valid table name.")]
    public string CallCountsTable { get; set; } = "FeishuCalls";

    /// <summary>Users Feishu refused, and the punches held for them until the id mapping changes.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "UnknownUsersTable is not a valid table name.")]
    public string UnknownUsersTable { get; set; } = "UnknownUsers";

    /// <summary>
    /// Deliveries of a batch message before the host moves it to the poison queue: host.json's
    /// <c>extensions.queues.maxDequeueCount</c>, which the handler cannot read itself (a test holds the two equal). On the
    /// last delivery a failing batch is written to FailedBatches as pending, so the poison queue never holds the only copy.
    /// </summary>
    [Range(1, 1000)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Markers of the Feishu cards sent (one per import, per condition), so several instances send one.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "NotificationsTable is not a valid table name.")]
    public string NotificationsTable { get; set; } = "Notifications";

    /// <summary>
    /// Largest queue message JSON (before Base64) sent inline; a bigger batch goes to a claim-check blob. Lowered only
    /// by tests to force the claim-check path.
    /// </summary>
    [Range(64, MaxQueueMessageJsonBytes)]
    public int MaxInlineMessageBytes { get; set; } = MaxQueueMessageJsonBytes;

    /// <summary>
    /// Ledger day partitions one ingest keeps in memory (least recently used are dropped and re-read if needed), so a
    /// multi-year cumulative export does not hold every day's fingerprints at once.
    /// </summary>
    [Range(1, 4096)]
    public int LedgerDaysCached { get; set; } = 64;

    /// <summary>
    /// Queue sends in flight during ingest: enqueueing is latency-bound, so parallelism buys throughput. 32, not 16: the
    /// ingest parses and claims between sends on the same CPU, and with 16 the queue service (Azurite, measured by
    /// pipeline-e2e) was left waiting between requests often enough to spend a fifth more CPU per message; 32 keeps it
    /// busy. The ingest's own work, not the queue's 2,000 messages/s target, bounds the rate either way.
    /// </summary>
    [Range(1, 256)]
    public int EnqueueParallelism { get; set; } = 32;
}
