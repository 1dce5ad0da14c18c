using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>The storage account accepts only Entra-authenticated HTTPS with TLS 1.2, and nothing in it is public.</summary>
public sealed class StorageSecurityTests
{
    private static readonly PredictedResource Account = DeploymentSnapshot.Committed.Single(ResourceTypes.StorageAccount);

    [Fact]
    public void Shared_key_access_is_disabled() => Assert.False(Account.Flag("properties.allowSharedKeyAccess"));

    [Fact]
    public void Entra_authentication_is_the_default_in_the_portal() =>
        Assert.True(Account.Flag("properties.defaultToOAuthAuthentication"));

    [Fact]
    public void Public_blob_access_is_disabled() => Assert.False(Account.Flag("properties.allowBlobPublicAccess"));

    [Fact]
    public void Minimum_tls_version_is_1_2() => Assert.Equal("TLS1_2", Account.Text("properties.minimumTlsVersion"));

    [Fact]
    public void Only_https_is_accepted() => Assert.True(Account.Flag("properties.supportsHttpsTrafficOnly"));

    [Fact]
    public void Data_cannot_be_replicated_to_another_tenant() =>
        Assert.False(Account.Flag("properties.allowCrossTenantReplication"));

    [Fact]
    public void Deleted_exports_and_containers_can_be_restored()
    {
        var blobService = DeploymentSnapshot.Committed.Single(ResourceTypes.BlobService);

        Assert.True(blobService.Flag("properties.deleteRetentionPolicy.enabled"));
        Assert.True(blobService.Number("properties.deleteRetentionPolicy.days") >= 7);
        Assert.True(blobService.Flag("properties.containerDeleteRetentionPolicy.enabled"));
    }

    [Theory]
    [InlineData("clock-exports")]
    [InlineData("import-reports")]
    [InlineData("punch-batch-payloads")]
    [InlineData("app-package")]
    [InlineData("event-deadletters")]
    public void Container_exists_and_is_private(string name)
    {
        var container = DeploymentSnapshot.Committed.Single(ResourceTypes.BlobContainer, name);

        Assert.Equal($"{Account.Name}/default/{name}", container.Name);
        Assert.Equal("None", container.Text("properties.publicAccess"));
    }

    [Fact]
    public void Every_container_is_private()
    {
        var containers = DeploymentSnapshot.Committed.OfType(ResourceTypes.BlobContainer);

        Assert.NotEmpty(containers);
        Assert.All(containers, container => Assert.Equal("None", container.Text("properties.publicAccess")));
    }

    [Fact]
    public void Batch_queue_and_its_poison_queue_exist()
    {
        var queues = DeploymentSnapshot.Committed.OfType(ResourceTypes.Queue).Select(queue => queue.Name).Order(StringComparer.Ordinal);

        Assert.Equal([$"{Account.Name}/default/punch-batches", $"{Account.Name}/default/punch-batches-poison"], queues);
    }

    [Fact]
    public void Imports_failed_batches_ledger_call_count_and_notification_tables_exist()
    {
        var tables = DeploymentSnapshot.Committed.OfType(ResourceTypes.Table).Select(table => table.ShortName).Order(StringComparer.Ordinal);

        Assert.Equal(["FailedBatches", "FeishuCalls", "ImportLedger", "Imports", "Notifications"], tables);
    }

    [Fact]
    public void No_storage_account_key_is_read_anywhere_in_the_deployment()
    {
        // The only listKeys allowed is the Functions host's blobs_extension key for the Event Grid webhook.
        var snapshot = DeploymentSnapshot.Committed.Text;
        var listKeysCalls = snapshot.Split("listKeys(", StringSplitOptions.None).Length - 1;
        var hostKeyCalls = snapshot.Split("/host/default', ", StringSplitOptions.None).Length - 1;

        Assert.Equal(1, listKeysCalls);
        Assert.Equal(1, hostKeyCalls);
        Assert.DoesNotContain("AccountKey", snapshot, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listAccountSas", snapshot, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listServiceSas", snapshot, StringComparison.OrdinalIgnoreCase);
    }
}
