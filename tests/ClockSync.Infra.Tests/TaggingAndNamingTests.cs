using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>Every taggable resource carries the application and environment tags; names come from one token.</summary>
public sealed class TaggingAndNamingTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;

    /// <summary>Top-level resources (Namespace/type) are taggable; child and extension resources are not.</summary>
    private static readonly List<string> TopLevelResourceIds = Snapshot.Resources
        .Where(resource => resource.Type.Count(character => character == '/') == 1)
        .Where(resource => resource.Type is not ResourceTypes.RoleAssignment and not ResourceTypes.DiagnosticSetting)
        .Select(resource => resource.Id)
        .ToList();

    public static TheoryData<string> TopLevelResources => new(TopLevelResourceIds);

    [Theory]
    [MemberData(nameof(TopLevelResources))]
    public void Resource_is_tagged_with_application_and_environment(string id)
    {
        var resource = Snapshot.Resources.Single(candidate => candidate.Id == id);

        Assert.Equal("ClockSync", resource.Tags.GetValueOrDefault("application"));
        Assert.Equal("dev", resource.Tags.GetValueOrDefault("environment"));
    }

    [Fact]
    public void Every_kind_of_top_level_resource_is_covered_by_the_tag_check() =>
        Assert.True(TopLevelResourceIds.Count >= 10, $"only {TopLevelResourceIds.Count} top-level resources found");

    [Fact]
    public void Resource_names_share_one_token_derived_from_the_resource_group_and_environment()
    {
        var storageName = Snapshot.DataStorage.Name;
        var token = storageName["st".Length..];

        Assert.Equal(13, token.Length);
        Assert.All(
            [
                Snapshot.Single(ResourceTypes.FunctionApp).Name,
                Snapshot.Single(ResourceTypes.KeyVault).Name,
                Snapshot.Single(ResourceTypes.Identity).Name,
                Snapshot.Single(ResourceTypes.AppInsights).Name,
                Snapshot.Single(ResourceTypes.Plan).Name,
                Snapshot.Single(ResourceTypes.SystemTopic).Name,
            ],
            name => Assert.EndsWith("-" + token, name, StringComparison.Ordinal));
    }

    [Fact]
    public void Resources_are_deployed_to_the_resource_group_location()
    {
        // Action groups are global by nature; everything regional follows the resource group.
        var located = Snapshot.Resources
            .Where(resource => resource.Has("location") && resource.Text("location") != "global")
            .ToList();

        Assert.NotEmpty(located);
        Assert.All(located, resource => Assert.Equal(SnapshotScope.Committed.Location, resource.Text("location")));
    }
}
