using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// BlobCreated events of the clock-exports container reach the IngestClockExport blob trigger (Source = EventGrid)
/// through the Functions blob extension webhook; undeliverable events are dead-lettered, never dropped. The
/// subscription exists from the post-deploy events pass on (events.snapshot.json).
/// </summary>
public sealed class EventGridTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Events;
    private static readonly PredictedResource Storage = Snapshot.DataStorage;
    private static readonly PredictedResource Topic = Snapshot.Single(ResourceTypes.SystemTopic);
    private static readonly PredictedResource Subscription = Snapshot.Single(ResourceTypes.EventSubscription);

    [Fact]
    public void System_topic_publishes_the_storage_account_events()
    {
        Assert.Equal(Storage.Id, Topic.Text("properties.source"));
        Assert.Equal("Microsoft.Storage.StorageAccounts", Topic.Text("properties.topicType"));
    }

    [Fact]
    public void The_topic_already_exists_on_the_infra_pass() =>
        Assert.Equal(Topic.Id, DeploymentSnapshot.Committed.Single(ResourceTypes.SystemTopic).Id);

    [Fact]
    public void Subscription_belongs_to_the_system_topic() =>
        Assert.StartsWith(Topic.Name + "/", Subscription.Name, StringComparison.Ordinal);

    [Fact]
    public void Only_blob_created_events_are_delivered() =>
        Assert.Equal(["Microsoft.Storage.BlobCreated"], Subscription.Texts("properties.filter.includedEventTypes"));

    [Fact]
    public void Only_the_clock_exports_container_is_delivered() =>
        Assert.Equal(
            "/blobServices/default/containers/clock-exports/",
            Subscription.Text("properties.filter.subjectBeginsWith"));

    [Fact]
    public void Events_go_to_the_blob_extension_webhook_of_IngestClockExport()
    {
        var app = Snapshot.Single(ResourceTypes.FunctionApp);

        Assert.Equal("WebHook", Subscription.Text("properties.destination.endpointType"));
        Assert.Equal("EventGridSchema", Subscription.Text("properties.eventDeliverySchema"));
        var url = Subscription.Text("properties.destination.properties.endpointUrl");
        Assert.StartsWith(
            "[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', ",
            url,
            StringComparison.Ordinal);
        Assert.Matches(ArmExpression.ReferenceInside(app.Id, "defaultHostName"), url);
        Assert.Contains("'IngestClockExport'", url, StringComparison.Ordinal);
        Assert.Contains($"listKeys('{app.Id}/host/default', ", url, StringComparison.Ordinal);
        Assert.EndsWith(").systemKeys.blobs_extension)]", url, StringComparison.Ordinal);
    }

    [Fact]
    public void Undeliverable_events_are_dead_lettered_to_storage_with_the_identity()
    {
        var identity = Snapshot.Single(ResourceTypes.Identity);
        Snapshot.Single(ResourceTypes.BlobContainer, "event-deadletters");

        Assert.Equal("UserAssigned", Subscription.Text("properties.deadLetterWithResourceIdentity.identity.type"));
        Assert.Equal(identity.Id, Subscription.Text("properties.deadLetterWithResourceIdentity.identity.userAssignedIdentity"));
        Assert.Equal(Storage.Id, Subscription.Text("properties.deadLetterWithResourceIdentity.deadLetterDestination.properties.resourceId"));
        Assert.Equal("event-deadletters", Subscription.Text("properties.deadLetterWithResourceIdentity.deadLetterDestination.properties.blobContainerName"));
        Assert.Equal([identity.Id], Topic.Get("identity.userAssignedIdentities").EnumerateObject().Select(entry => entry.Name));
    }

    [Fact]
    public void Delivery_is_retried_for_a_day_before_dead_lettering()
    {
        Assert.Equal(1440, Subscription.Number("properties.retryPolicy.eventTimeToLiveInMinutes"));
        Assert.True(Subscription.Number("properties.retryPolicy.maxDeliveryAttempts") >= 10);
    }
}
