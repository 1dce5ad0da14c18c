using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace ClockSync.Storage;

/// <summary>
/// The named containers, queue and tables, created if missing the first time any is asked for (once per process;
/// a failed attempt is retried by the next caller rather than cached).
/// </summary>
public sealed class PipelineStorage
{
    private readonly StorageAccountClients _clients;
    private readonly Lock _gate = new();
    private Task? _provisioning;

    public PipelineStorage(StorageAccountClients clients, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        Options = options.Value;
        Reports = clients.Blobs.GetBlobContainerClient(Options.ReportsContainer);
        ClaimChecks = clients.Blobs.GetBlobContainerClient(Options.ClaimCheckContainer);
        BatchQueue = clients.Queues.GetQueueClient(Options.BatchQueue);
        Imports = clients.Tables.GetTableClient(Options.ImportsTable);
        FailedBatches = clients.Tables.GetTableClient(Options.FailedBatchesTable);
        Ledger = clients.Tables.GetTableClient(Options.LedgerTable);
        CallCounts = clients.Tables.GetTableClient(Options.CallCountsTable);
        UnknownUsers = clients.Tables.GetTableClient(Options.UnknownUsersTable);
        PoisonQueue = clients.Queues.GetQueueClient(Options.BatchQueue + "-poison");
        Notifications = clients.Tables.GetTableClient(Options.NotificationsTable);
    }

    public StorageOptions Options { get; }

    public BlobServiceClient Blobs => _clients.Blobs;

    public BlobContainerClient Reports { get; }

    public BlobContainerClient ClaimChecks { get; }

    public QueueClient BatchQueue { get; }

    public TableClient Imports { get; }

    public TableClient FailedBatches { get; }

    public TableClient Ledger { get; }

    public TableClient CallCounts { get; }

    public TableClient UnknownUsers { get; }

    /// <summary>Where the host moves a batch message after its last delivery (<c>{BatchQueue}-poison</c>).</summary>
    public QueueClient PoisonQueue { get; }
    public TableClient Notifications { get; }

    /// <summary>Creates what is missing; completes at once after the first success.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_provisioning is null || _provisioning.IsFaulted || _provisioning.IsCanceled)
            {
                _provisioning = CreateAllAsync(cancellationToken);
            }

            return _provisioning;
        }
    }

    private async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            _clients.Blobs.GetBlobContainerClient(Options.ExportsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Reports.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            ClaimChecks.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            BatchQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Imports.CreateIfNotExistsAsync(cancellationToken),
            FailedBatches.CreateIfNotExistsAsync(cancellationToken),
            Ledger.CreateIfNotExistsAsync(cancellationToken),
            CallCounts.CreateIfNotExistsAsync(cancellationToken),
            UnknownUsers.CreateIfNotExistsAsync(cancellationToken),
            Notifications.CreateIfNotExistsAsync(cancellationToken));
    }
}
