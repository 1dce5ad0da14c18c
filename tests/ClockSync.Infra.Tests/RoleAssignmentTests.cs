using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// The app identity holds exactly the data-plane roles it needs, each on the narrowest resource Azure allows: on the
/// data account per container, queue and table; on the host's own account at account scope (the host creates what it
/// uses at run time); nothing on the resource group or subscription. (The dev parameters grant the operator nothing.)
/// </summary>
public sealed class RoleAssignmentTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;
    private static readonly SnapshotScope Scope = SnapshotScope.Committed;
    private static readonly PredictedResource Identity = Snapshot.Single(ResourceTypes.Identity);

    /// <summary>(role, resource type, short name or "" for the one resource of that type, "host" for the host account).</summary>
    public static TheoryData<string, string, string> ExpectedAssignments => new()
    {
        { Roles.StorageBlobDataOwner, ResourceTypes.BlobContainer, "clock-exports" },
        { Roles.StorageBlobDataContributor, ResourceTypes.BlobContainer, "import-reports" },
        { Roles.StorageBlobDataContributor, ResourceTypes.BlobContainer, "punch-batch-payloads" },
        { Roles.StorageBlobDataContributor, ResourceTypes.BlobContainer, "event-deadletters" },
        { Roles.StorageBlobDataContributor, ResourceTypes.BlobContainer, "app-package" },
        { Roles.StorageQueueDataContributor, ResourceTypes.Queue, "punch-batches" },
        { Roles.StorageQueueDataContributor, ResourceTypes.Queue, "punch-batches-poison" },
        { Roles.StorageQueueDataContributor, ResourceTypes.Queue, "webjobs-blobtrigger-poison" },
        { Roles.StorageTableDataContributor, ResourceTypes.Table, "Imports" },
        { Roles.StorageTableDataContributor, ResourceTypes.Table, "FailedBatches" },
        { Roles.StorageTableDataContributor, ResourceTypes.Table, "ImportLedger" },
        { Roles.StorageTableDataContributor, ResourceTypes.Table, "FeishuCalls" },
        { Roles.StorageTableDataContributor, ResourceTypes.Table, "UnknownUsers" },
        { Roles.StorageTableDataContributor, ResourceTypes.Table, "Notifications" },
        { Roles.StorageBlobDataOwner, ResourceTypes.StorageAccount, "host" },
        { Roles.StorageQueueDataContributor, ResourceTypes.StorageAccount, "host" },
        { Roles.StorageTableDataContributor, ResourceTypes.StorageAccount, "host" },
        { Roles.KeyVaultSecretsUser, ResourceTypes.KeyVault, "" },
        { Roles.MonitoringMetricsPublisher, ResourceTypes.AppInsights, "" },
    };

    [Theory]
    [MemberData(nameof(ExpectedAssignments))]
    public void App_identity_holds_the_role_on_exactly_that_resource(string role, string scopeType, string scopeName)
    {
        var scope = ScopeOf(scopeType, scopeName);

        var assignment = Assert.Single(
            Snapshot.OfType(ResourceTypes.RoleAssignment),
            candidate => candidate.AssignmentScope == scope.Id && candidate.Text("properties.roleDefinitionId") == Scope.RoleDefinitionId(role));
        AssertGrantedToAppIdentity(assignment);
    }

    [Fact]
    public void App_identity_holds_no_other_role()
    {
        var granted = Snapshot.OfType(ResourceTypes.RoleAssignment)
            .Select(assignment => $"{assignment.Text("properties.roleDefinitionId")} on {assignment.AssignmentScope}")
            .Order(StringComparer.Ordinal);
        var expected = ExpectedAssignments
            .Select(row => $"{Scope.RoleDefinitionId((string)row[0])} on {ScopeOf((string)row[1], (string)row[2]).Id}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, granted);
    }

    [Fact]
    public void No_role_covers_the_whole_data_account()
    {
        // The report path, the claim checks and the exports each reach only their own container.
        Assert.DoesNotContain(Snapshot.OfType(ResourceTypes.RoleAssignment), assignment => assignment.AssignmentScope == Snapshot.DataStorage.Id);
    }

    [Fact]
    public void The_host_keys_live_in_an_account_the_data_connection_does_not_reach()
    {
        Assert.NotEqual(Snapshot.DataStorage.Id, Snapshot.HostStorage.Id);
        Assert.DoesNotContain(Snapshot.OfType(ResourceTypes.BlobContainer), container => container.Name.StartsWith(Snapshot.HostStorage.Name + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_package_container_is_writable_only_as_far_as_deployment_needs()
    {
        // Flex one-deploy writes the package with the identity configured for the deployment container: Contributor on
        // that container, never Owner, and no account-wide blob role on the data account that would also cover it.
        var package = Snapshot.Single(ResourceTypes.BlobContainer, "app-package");
        var onPackage = Snapshot.OfType(ResourceTypes.RoleAssignment).Where(assignment => assignment.AssignmentScope == package.Id).ToList();

        var only = Assert.Single(onPackage);
        Assert.Equal(Scope.RoleDefinitionId(Roles.StorageBlobDataContributor), only.Text("properties.roleDefinitionId"));
    }

    [Fact]
    public void Blob_data_owner_is_held_only_on_the_trigger_container_and_the_host_account()
    {
        var owners = Snapshot.OfType(ResourceTypes.RoleAssignment)
            .Where(assignment => assignment.Text("properties.roleDefinitionId") == Scope.RoleDefinitionId(Roles.StorageBlobDataOwner))
            .Select(assignment => assignment.AssignmentScope)
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            new[] { Snapshot.Single(ResourceTypes.BlobContainer, "clock-exports").Id, Snapshot.HostStorage.Id }.Order(StringComparer.Ordinal),
            owners);
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

    [Fact]
    public void A_private_network_changes_no_role() =>
        Assert.Equal(
            Snapshot.OfType(ResourceTypes.RoleAssignment).Select(assignment => assignment.Text("properties.roleDefinitionId")).Order(StringComparer.Ordinal),
            DeploymentSnapshot.Prod.OfType(ResourceTypes.RoleAssignment).Select(assignment => assignment.Text("properties.roleDefinitionId")).Order(StringComparer.Ordinal));

    private static PredictedResource ScopeOf(string type, string name) => (type, name) switch
    {
        (ResourceTypes.StorageAccount, "host") => Snapshot.HostStorage,
        (_, "") => Snapshot.Single(type),
        _ => Snapshot.Single(type, name),
    };

    private static void AssertGrantedToAppIdentity(PredictedResource assignment)
    {
        Assert.Matches(ArmExpression.Reference(Identity.Id, "principalId"), assignment.Text("properties.principalId"));
        Assert.Equal("ServicePrincipal", assignment.Text("properties.principalType"));
    }
}
