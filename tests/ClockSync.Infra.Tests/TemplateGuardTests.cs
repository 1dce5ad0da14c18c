using System.Text.Json;
using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// What a first deployment trips over, read from the compiled template and the committed parameter files: the Flex
/// instance bounds, the Event Grid subscription that must wait for the code, and its host-key lookup.
/// </summary>
[Collection(BicepGroup.Name)]
public sealed class TemplateGuardTests(BicepFixture bicep)
{
    private JsonElement Parameters => bicep.CompiledTemplate.GetProperty("parameters");

    private JsonElement Modules => bicep.CompiledTemplate.GetProperty("resources");

    [Fact]
    public void Maximum_instance_count_cannot_go_below_the_flex_minimum_of_40()
    {
        var declaration = Parameters.GetProperty("maximumInstanceCount");

        Assert.Equal(40, declaration.GetProperty("minValue").GetInt32());
        Assert.Equal(1000, declaration.GetProperty("maxValue").GetInt32());
        Assert.Equal(40, declaration.GetProperty("defaultValue").GetInt32());
        Assert.Contains("40 is the lowest Flex accepts", declaration.GetProperty("metadata").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_function_app_module_enforces_the_same_minimum()
    {
        var module = Module("functionApp").GetProperty("properties").GetProperty("template").GetProperty("parameters");

        Assert.Equal(40, module.GetProperty("maximumInstanceCount").GetProperty("minValue").GetInt32());
    }

    [Theory]
    [InlineData("dev", 40)]
    [InlineData("prod", 40)]
    public void Every_environment_deploys_a_maximum_flex_accepts(string environment, int expected)
    {
        var snapshot = environment == "dev" ? DeploymentSnapshot.Committed : DeploymentSnapshot.Prod;

        var deployed = snapshot.Single(ResourceTypes.FunctionApp).Number("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount");

        Assert.Equal(expected, deployed);
        Assert.True(deployed >= 40, $"{environment}: {deployed} is below the Flex minimum");
    }

    [Fact]
    public void Subscribe_blob_events_defaults_to_false()
    {
        Assert.False(Parameters.GetProperty("subscribeBlobEvents").GetProperty("defaultValue").GetBoolean());
    }

    [Theory]
    [InlineData("main.bicepparam")]
    [InlineData("prod.bicepparam")]
    public void Deployable_parameter_files_leave_the_subscription_to_the_post_deploy_step(string parameterFile)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryLayout.InfraDirectory, parameterFile));

        Assert.Contains("param subscribeBlobEvents = false", lines);
    }

    [Fact]
    public void The_dev_infra_pass_creates_no_subscription_and_reads_no_key()
    {
        Assert.Empty(DeploymentSnapshot.Committed.OfType(ResourceTypes.EventSubscription));
        Assert.DoesNotContain("listKeys", DeploymentSnapshot.Committed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", DeploymentSnapshot.Prod.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_key_is_read_only_inside_the_module_deployed_when_subscribing()
    {
        // ARM evaluates list* calls in a resource switched off with `if`; a module switched off is never deployed, so
        // the lookup of a key that does not exist yet cannot fail the first pass.
        var subscription = Module("blobSubscription");
        Assert.Equal("[parameters('subscribeBlobEvents')]", subscription.GetProperty("condition").GetString());
        Assert.Contains("listKeys(", subscription.GetRawText(), StringComparison.Ordinal);

        var elsewhere = Modules.EnumerateObject()
            .Where(module => module.Name != "blobSubscription")
            .Where(module => module.Value.GetRawText().Contains("listKeys(", StringComparison.Ordinal))
            .Select(module => module.Name);
        Assert.Empty(elsewhere);
        Assert.DoesNotContain("listKeys(", bicep.CompiledTemplate.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_subscription_module_itself_has_no_condition_of_its_own()
    {
        // The guard is the module's; a second `if` inside would bring back the evaluated-anyway list* call.
        var inner = Module("blobSubscription").GetProperty("properties").GetProperty("template").GetProperty("resources");

        var resources = inner.ValueKind == JsonValueKind.Array
            ? inner.EnumerateArray().ToList()
            : inner.EnumerateObject().Select(resource => resource.Value).ToList();
        var subscriptions = resources
            .Where(resource => resource.GetProperty("type").GetString() == ResourceTypes.EventSubscription)
            .ToList();
        Assert.Single(subscriptions);
        Assert.False(subscriptions[0].TryGetProperty("condition", out _));
    }

    private JsonElement Module(string symbolicName) =>
        Modules.TryGetProperty(symbolicName, out var module)
            ? module
            : throw new KeyNotFoundException($"main.bicep has no module '{symbolicName}'.");
}
