using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// The app identity holds exactly the data-plane roles it needs, each on the one resource it is for, and nothing on
/// the resource group or subscription. (The dev parameters grant the deploying principal nothing.)
/// </summary>
public sealed class RoleAssignmentTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;
    private static readonly SnapshotScope Scope = SnapshotScope.Committed;
    private static readonly PredictedResource Identity = Snapshot.Single(ResourceTypes.Identity);

    public static TheoryData<string, string> ExpectedAssignments => new()
    {
        { Roles.StorageBlobDataOwner, ResourceTypes.StorageAccount },
        { Roles.StorageQueueDataContributor, ResourceTypes.StorageAccount },
        { Roles.StorageTableDataContributor, ResourceTypes.StorageAccount },
        { Roles.KeyVaultSecretsUser, ResourceTypes.KeyVault },
        { Roles.MonitoringMetricsPublisher, ResourceTypes.AppInsights },
    };

    [Theory]
    [MemberData(nameof(ExpectedAssignments))]
    public void App_identity_holds_the_role_on_exactly_the_resource_it_needs_it_for(string role, string scopeType)
    {
        var assignment = SingleAssignmentOf(role);

        Assert.Equal(Snapshot.Single(scopeType).Id, assignment.AssignmentScope);
        AssertGrantedToAppIdentity(assignment);
    }

    [Fact]
    public void App_identity_holds_no_other_role()
    {
        var granted = Snapshot.OfType(ResourceTypes.RoleAssignment)
            .Select(assignment => assignment.Text("properties.roleDefinitionId"))
            .Order(StringComparer.Ordinal);
        var expected = ExpectedAssignments.Select(row => Scope.RoleDefinitionId((string)row[0])).Order(StringComparer.Ordinal);

        Assert.Equal(expected, granted);
    }

    [Fact]
    public void Every_role_assignment_goes_to_the_app_identity() =>
        Assert.All(Snapshot.OfType(ResourceTypes.RoleAssignment), AssertGrantedToAppIdentity);

    [Fact]
    public void No_role_is_assigned_on_the_resource_group_or_subscription() =>
        Assert.All(Snapshot.OfType(ResourceTypes.RoleAssignment), assignment =>
        {
            Assert.StartsWith(Scope.ResourceGroupId + "/providers/", assignment.AssignmentScope, StringComparison.Ordinal);
            Assert.NotEqual(Scope.ResourceGroupId, assignment.AssignmentScope);
            Assert.NotEqual(Scope.SubscriptionScopeId, assignment.AssignmentScope);
        });

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Contributor)]
    [InlineData(Roles.StorageAccountContributor)]
    [InlineData(Roles.KeyVaultSecretsOfficer)]
    public void Broad_or_control_plane_roles_are_never_granted(string role) =>
        Assert.DoesNotContain(
            Scope.RoleDefinitionId(role),
            Snapshot.OfType(ResourceTypes.RoleAssignment).Select(assignment => assignment.Text("properties.roleDefinitionId")));

    [Fact]
    public void Assignment_names_are_stable_across_redeployments()
    {
        // Names are guid(scope, identity, role): a redeployment updates the same assignment instead of failing with
        // RoleAssignmentExists.
        var names = Snapshot.OfType(ResourceTypes.RoleAssignment).Select(assignment => assignment.Name).ToList();

        Assert.All(names, name => Assert.True(Guid.TryParse(name, out _), $"'{name}' is not a resolved GUID"));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    private static PredictedResource SingleAssignmentOf(string role)
    {
        var matches = Snapshot.OfType(ResourceTypes.RoleAssignment)
            .Where(assignment => assignment.Text("properties.roleDefinitionId") == Scope.RoleDefinitionId(role))
            .ToList();
        Assert.True(matches.Count == 1, $"Expected one assignment of role {role}, found {matches.Count}.");
        return matches[0];
    }

    private static void AssertGrantedToAppIdentity(PredictedResource assignment)
    {
        Assert.Matches(ArmExpression.Reference(Identity.Id, "principalId"), assignment.Text("properties.principalId"));
        Assert.Equal("ServicePrincipal", assignment.Text("properties.principalType"));
    }
}
