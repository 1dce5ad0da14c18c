using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>Flex Consumption FC1 on Linux, .NET 10 isolated, deployed from a keyless container, running as the identity.</summary>
public sealed class FunctionAppTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;
    private static readonly PredictedResource App = Snapshot.Single(ResourceTypes.FunctionApp);
    private static readonly PredictedResource Plan = Snapshot.Single(ResourceTypes.Plan);
    private static readonly PredictedResource Identity = Snapshot.Single(ResourceTypes.Identity);

    [Fact]
    public void Plan_is_flex_consumption_fc1_on_linux()
    {
        Assert.Equal("FC1", Plan.Text("sku.name"));
        Assert.Equal("FlexConsumption", Plan.Text("sku.tier"));
        Assert.True(Plan.Flag("properties.reserved"), "reserved = true is what makes an App Service plan Linux");
    }

    [Fact]
    public void App_is_a_linux_function_app_on_that_plan()
    {
        Assert.Equal("functionapp,linux", App.Text("kind"));
        Assert.Equal(Plan.Id, App.Text("properties.serverFarmId"));
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10()
    {
        Assert.Equal("dotnet-isolated", App.Text("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", App.Text("properties.functionAppConfig.runtime.version"));
    }

    [Fact]
    public void Instance_memory_and_maximum_instances_come_from_the_dev_parameters()
    {
        Assert.Equal(2048, App.Number("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal(40, App.Number("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
    }

    [Fact]
    public void Dev_keeps_no_instance_always_ready() =>
        // Event Grid retries a delivery a cold start missed; dev does not pay for a warm instance (main.bicepparam).
        Assert.Empty(App.Get("properties.functionAppConfig.scaleAndConcurrency.alwaysReady").EnumerateArray());

    [Fact]
    public void Prod_keeps_one_blob_trigger_instance_always_ready()
    {
        var prodApp = DeploymentSnapshot.Prod.Single(ResourceTypes.FunctionApp);

        var ready = prodApp.Get("properties.functionAppConfig.scaleAndConcurrency.alwaysReady").EnumerateArray().Single();

        Assert.Equal("blob", ready.GetProperty("name").GetString());
        Assert.Equal(1, ready.GetProperty("instanceCount").GetInt32());
    }

    [Fact]
    public void Package_is_deployed_from_the_app_package_container_with_the_identity()
    {
        var storage = Snapshot.DataStorage;
        Snapshot.Single(ResourceTypes.BlobContainer, "app-package");

        Assert.Equal("blobContainer", App.Text("properties.functionAppConfig.deployment.storage.type"));
        var url = App.Text("properties.functionAppConfig.deployment.storage.value");
        Assert.Matches(ArmExpression.ReferenceInside(storage.Id, "primaryEndpoints.blob"), url);
        Assert.EndsWith("'app-package')]", url, StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", App.Text("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal(Identity.Id, App.Text("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId"));
    }

    [Fact]
    public void App_runs_as_the_user_assigned_identity_only()
    {
        Assert.Equal("UserAssigned", App.Text("identity.type"));
        var identities = App.Get("identity.userAssignedIdentities").EnumerateObject().Select(identity => identity.Name);
        Assert.Equal([Identity.Id], identities);
    }

    [Fact]
    public void Only_https_with_tls_1_2()
    {
        Assert.True(App.Flag("properties.httpsOnly"));
        Assert.Equal("1.2", App.Text("properties.siteConfig.minTlsVersion"));
        Assert.Equal("1.2", App.Text("properties.siteConfig.scmMinTlsVersion"));
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_auth_publishing_is_disabled(string endpoint) =>
        Assert.False(Snapshot.Single(ResourceTypes.BasicPublishingPolicy, endpoint).Flag("properties.allow"));
}
