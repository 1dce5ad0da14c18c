namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>
/// The fixed, fake deployment scope the committed snapshot is computed for (infra-bicep/snapshot.env, shared with
/// infra-bicep/snapshot.sh), so resource names and ids in it are resolved values the tests can compare.
/// </summary>
internal sealed record SnapshotScope(
    string TenantId,
    string SubscriptionId,
    string ResourceGroup,
    string Location,
    string DeploymentName)
{
    public static SnapshotScope Committed { get; } = Read(RepositoryLayout.SnapshotScopeFile);

    public string ResourceGroupId => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}";

    public string SubscriptionScopeId => $"/subscriptions/{SubscriptionId}";

    public string RoleDefinitionId(string roleGuid) =>
        $"/subscriptions/{SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}";

    /// <summary>The options that make <c>bicep snapshot</c> use this scope.</summary>
    public IReadOnlyList<string> CliOptions =>
    [
        "--tenant-id", TenantId,
        "--subscription-id", SubscriptionId,
        "--resource-group", ResourceGroup,
        "--location", Location,
        "--deployment-name", DeploymentName,
    ];

    private static SnapshotScope Read(string path)
    {
        var values = File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

        string Value(string key) => values.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"{path}: {key} is missing.");

        return new SnapshotScope(
            Value("SNAPSHOT_TENANT_ID"),
            Value("SNAPSHOT_SUBSCRIPTION_ID"),
            Value("SNAPSHOT_RESOURCE_GROUP"),
            Value("SNAPSHOT_LOCATION"),
            Value("SNAPSHOT_DEPLOYMENT_NAME"));
    }
}
