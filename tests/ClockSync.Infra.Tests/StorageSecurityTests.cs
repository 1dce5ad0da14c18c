using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>The storage account accepts only Entra-authenticated HTTPS with TLS 1.2, and nothing in it is public.</summary>
public sealed class StorageSecurityTests
{
    private static readonly PredictedResource Account = DeploymentSnapshot.Committed.DataStorage;

    /// <summary>Both accounts: ClockSync's data and the Functions host's.</summary>
    public static TheoryData<bool> Accounts => new(false, true);

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Shared_key_access_is_disabled(bool host) => Assert.False(Of(host).Flag("properties.allowSharedKeyAccess"));

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Entra_authentication_is_the_default_in_the_portal(bool host) =>
        Assert.True(Of(host).Flag("properties.defaultToOAuthAuthentication"));

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Public_blob_access_is_disabled(bool host) => Assert.False(Of(host).Flag("properties.allowBlobPublicAccess"));

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Minimum_tls_version_is_1_2(bool host) => Assert.Equal("TLS1_2", Of(host).Text("properties.minimumTlsVersion"));

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Only_https_is_accepted(bool host) => Assert.True(Of(host).Flag("properties.supportsHttpsTrafficOnly"));

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Data_cannot_be_replicated_to_another_tenant(bool host) =>
        Assert.False(Of(host).Flag("properties.allowCrossTenantReplication"));

    [Fact]
    public void Deleted_exports_and_containers_can_be_restored()
    {
        var blobService = DeploymentSnapshot.Committed.OfType(ResourceTypes.BlobService).Single(service => service.Name == Account.Name + "/default");

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
    public void Batch_queue_and_both_poison_queues_exist()
    {
        // The blob trigger's poison queue is created up front too, so its role can be scoped to it (access.bicep).
        var queues = DeploymentSnapshot.Committed.OfType(ResourceTypes.Queue).Select(queue => queue.Name).Order(StringComparer.Ordinal);

        Assert.Equal(
            [$"{Account.Name}/default/punch-batches", $"{Account.Name}/default/punch-batches-poison", $"{Account.Name}/default/webjobs-blobtrigger-poison"],
            queues);
    }

    [Fact]
    public void Imports_failed_batches_ledger_call_count_unknown_user_and_notification_tables_exist()
    {
        var tables = DeploymentSnapshot.Committed.OfType(ResourceTypes.Table).Select(table => table.ShortName).Order(StringComparer.Ordinal);

        Assert.Equal(["FailedBatches", "FeishuCalls", "ImportLedger", "Imports", "Notifications", "UnknownUsers"], tables);
    }

    [Fact]
    public void No_storage_account_key_is_read_anywhere_in_the_deployment()
    {
        // The only listKeys allowed is the Functions host's blobs_extension key for the Event Grid webhook, on the
        // post-deploy pass; the infra pass reads none.
        var events = DeploymentSnapshot.Events.Text;
        var listKeysCalls = events.Split("listKeys(", StringSplitOptions.None).Length - 1;
        var hostKeyCalls = events.Split("/host/default', ", StringSplitOptions.None).Length - 1;

        Assert.Equal(1, listKeysCalls);
        Assert.Equal(1, hostKeyCalls);
        foreach (var snapshot in new[] { DeploymentSnapshot.Committed.Text, events, DeploymentSnapshot.Prod.Text })
        {
            Assert.DoesNotContain("AccountKey", snapshot, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listAccountSas", snapshot, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listServiceSas", snapshot, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static PredictedResource Of(bool host) => host ? DeploymentSnapshot.Committed.HostStorage : Account;
}
