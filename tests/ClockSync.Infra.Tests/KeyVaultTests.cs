using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>RBAC-only vault that cannot lose the Feishu secrets, and secrets that only ever come from secure parameters.</summary>
public sealed class KeyVaultTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;
    private static readonly PredictedResource Vault = Snapshot.Single(ResourceTypes.KeyVault);

    [Fact]
    public void Vault_uses_rbac_and_has_no_access_policies()
    {
        Assert.True(Vault.Flag("properties.enableRbacAuthorization"));
        Assert.False(Vault.Has("properties.accessPolicies"));
    }

    [Fact]
    public void Soft_delete_keeps_deleted_secrets_for_90_days()
    {
        Assert.True(Vault.Flag("properties.enableSoftDelete"));
        Assert.Equal(90, Vault.Number("properties.softDeleteRetentionInDays"));
    }

    [Fact]
    public void Purge_protection_is_on() => Assert.True(Vault.Flag("properties.enablePurgeProtection"));

    [Fact]
    public void Templates_and_vms_cannot_read_secrets_through_the_vault()
    {
        Assert.False(Vault.Flag("properties.enabledForTemplateDeployment"));
        Assert.False(Vault.Flag("properties.enabledForDeployment"));
        Assert.False(Vault.Flag("properties.enabledForDiskEncryption"));
    }

    [Theory]
    [InlineData("feishu-app-id", "feishuAppId")]
    [InlineData("feishu-app-secret", "feishuAppSecret")]
    public void Feishu_secret_comes_only_from_its_secure_parameter_and_only_when_given(string secretName, string parameter)
    {
        var secret = Snapshot.Single(ResourceTypes.KeyVaultSecret, secretName);

        Assert.Equal($"{Vault.Name}/{secretName}", secret.Name);
        Assert.Equal(ArmExpression.Parameter(parameter), secret.Text("properties.value"));
        // Empty parameter: the secret is not deployed, so a value set with az keyvault secret set survives redeploys.
        Assert.Equal($"[not(empty(parameters('{parameter}')))]", secret.Text("condition"));
    }

    [Fact]
    public void Vault_audit_log_goes_to_log_analytics()
    {
        var workspace = Snapshot.Single(ResourceTypes.Workspace);
        var audit = Snapshot.OfType(ResourceTypes.DiagnosticSetting)
            .Single(setting => setting.Id.StartsWith(Vault.Id + "/providers/", StringComparison.Ordinal));

        Assert.Equal(workspace.Id, audit.Text("properties.workspaceId"));
        var categoryGroups = audit.Get("properties.logs").EnumerateArray()
            .Where(log => log.GetProperty("enabled").GetBoolean())
            .Select(log => log.GetProperty("categoryGroup").GetString());
        Assert.Contains("audit", categoryGroups);
    }
}
