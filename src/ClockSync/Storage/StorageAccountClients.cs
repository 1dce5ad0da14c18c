using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace ClockSync.Storage;

/// <summary>
/// The three service clients of the pipeline's storage account, built once per process from the connection name:
/// a connection string (<c>{name}</c>, or <c>ConnectionStrings:{name}</c>) or identity-based settings
/// (<c>{name}__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c>, optional <c>__clientId</c>) with
/// <see cref="DefaultAzureCredential"/> — the same shapes the Functions host reads for the triggers.
/// </summary>
public sealed record StorageAccountClients(BlobServiceClient Blobs, QueueServiceClient Queues, TableServiceClient Tables)
{
    /// <summary>Queue clients encode Base64, as the queue trigger expects by default.</summary>
    public static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <exception cref="InvalidOperationException">Neither shape is configured; the message names the settings.</exception>
    public static StorageAccountClients Create(IConfiguration configuration, string connectionName, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var connectionString = configuration[connectionName] ?? configuration.GetConnectionString(connectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageAccountClients(
                new BlobServiceClient(connectionString),
                new QueueServiceClient(connectionString, QueueOptions()),
                new TableServiceClient(connectionString));
        }

        var section = configuration.GetSection(connectionName);
        var blobUri = section["blobServiceUri"];
        var queueUri = section["queueServiceUri"];
        var tableUri = section["tableServiceUri"];
        if (string.IsNullOrWhiteSpace(blobUri) || string.IsNullOrWhiteSpace(queueUri) || string.IsNullOrWhiteSpace(tableUri))
        {
            throw new InvalidOperationException(
                $"Storage connection '{connectionName}' is not configured: set '{connectionName}' to a connection string, or set " +
                $"'{connectionName}__blobServiceUri', '{connectionName}__queueServiceUri' and '{connectionName}__tableServiceUri' " +
                "(with the identity's role assignments) for an identity-based connection.");
        }

        if (credential is null)
        {
            var options = new DefaultAzureCredentialOptions();
            var clientId = section["clientId"] ?? configuration["AZURE_CLIENT_ID"];
            if (!string.IsNullOrWhiteSpace(clientId))
            {
                options.ManagedIdentityClientId = clientId;
            }

            credential = new DefaultAzureCredential(options);
        }

        return new StorageAccountClients(
            new BlobServiceClient(new Uri(blobUri), credential),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions()),
            new TableServiceClient(new Uri(tableUri), credential));
    }
}
