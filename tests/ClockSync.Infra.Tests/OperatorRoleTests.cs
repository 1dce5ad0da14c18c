using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// The optional operator grant (deployerPrincipalId): what `clocksync upload`, `status`, `failed` and `reconcile` need
/// against the deployed storage, plus the vault's secrets, typed as the principal really is.
/// </summary>
[Collection(BicepGroup.Name)]
public sealed class OperatorRoleTests(BicepFixture bicep)
{
    private static readonly SnapshotScope Scope = SnapshotScope.Committed;

    [Theory]
    [InlineData(Roles.StorageBlobDataContributor)]
    [InlineData(Roles.StorageQueueDataContributor)]
    [InlineData(Roles.StorageTableDataContributor)]
    [InlineData(Roles.KeyVaultSecretsOfficer)]
    public async Task Operator_holds_the_role(string role)
    {
        var assignments = await OperatorAssignmentsAsync();

        Assert.Contains(assignments, assignment => assignment.Text("properties.roleDefinitionId") == Scope.RoleDefinitionId(role));
    }

    [Fact]
    public async Task Operator_status_and_failed_can_read_and_write_the_tables()
    {
        var snapshot = await bicep.DeployerSnapshot;
        var tables = (await OperatorAssignmentsAsync())
            .Where(assignment => assignment.Text("properties.roleDefinitionId") == Scope.RoleDefinitionId(Roles.StorageTableDataContributor))
            .Select(assignment => assignment.AssignmentScope)
            .ToList();

        // Imports and FailedBatches are what status and failed read and write; the ledger and call counters are
        // created (if missing) by every command, so the operator needs them too.
        Assert.All(
            snapshot.OfType(ResourceTypes.Table),
            table => Assert.Contains(tables, scope => table.Id.StartsWith(scope, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Operator_assignments_carry_the_declared_principal_type()
    {
        var assignments = await OperatorAssignmentsAsync();

        Assert.NotEmpty(assignments);
        Assert.All(assignments, assignment => Assert.Equal("ServicePrincipal", assignment.Text("properties.principalType")));
    }

    [Fact]
    public async Task Operator_gets_no_broad_or_control_plane_role()
    {
        var granted = (await OperatorAssignmentsAsync()).Select(assignment => assignment.Text("properties.roleDefinitionId")).ToList();

        Assert.DoesNotContain(Scope.RoleDefinitionId(Roles.Owner), granted);
        Assert.DoesNotContain(Scope.RoleDefinitionId(Roles.Contributor), granted);
        Assert.DoesNotContain(Scope.RoleDefinitionId(Roles.StorageAccountContributor), granted);
        Assert.DoesNotContain(Scope.RoleDefinitionId(Roles.StorageBlobDataOwner), granted);
    }

    [Fact]
    public async Task Operator_gets_nothing_on_the_host_account_and_nothing_account_wide()
    {
        var snapshot = await bicep.DeployerSnapshot;

        Assert.All(await OperatorAssignmentsAsync(), assignment =>
        {
            Assert.NotEqual(snapshot.HostStorage.Id, assignment.AssignmentScope);
            Assert.NotEqual(snapshot.DataStorage.Id, assignment.AssignmentScope);
            Assert.False(assignment.AssignmentScope.StartsWith(snapshot.HostStorage.Id + "/", StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData("main.bicepparam", "User")]
    [InlineData("prod.bicepparam", "Group")]
    public void Parameter_file_declares_the_operator_principal_type(string parameterFile, string type) =>
        Assert.Contains(
            $"param deployerPrincipalType = '{type}'",
            File.ReadAllLines(Path.Combine(RepositoryLayout.InfraDirectory, parameterFile)));

    private async Task<List<PredictedResource>> OperatorAssignmentsAsync() =>
        (await bicep.DeployerSnapshot).OfType(ResourceTypes.RoleAssignment)
            .Where(assignment => assignment.Text("properties.principalId") == BicepFixture.DeployerPrincipalId)
            .ToList();
}
