using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// The publicNetworkAccess switch (dev open, prod closed behind private endpoints and VNet integration) and the
/// lifecycle rule that deletes claim-check payloads.
/// </summary>
public sealed class NetworkAndLifecycleTests
{
    private static readonly DeploymentSnapshot Dev = DeploymentSnapshot.Committed;
    private static readonly DeploymentSnapshot Prod = DeploymentSnapshot.Prod;

    [Fact]
    public void Dev_is_open_and_has_no_network()
    {
        Assert.All(Dev.OfType(ResourceTypes.StorageAccount), account =>
        {
            Assert.Equal("Enabled", account.Text("properties.publicNetworkAccess"));
            Assert.Equal("Allow", account.Text("properties.networkAcls.defaultAction"));
        });
        Assert.Equal("Enabled", Dev.Single(ResourceTypes.KeyVault).Text("properties.publicNetworkAccess"));
        Assert.Empty(Dev.OfType(ResourceTypes.VirtualNetwork));
        Assert.Empty(Dev.OfType(ResourceTypes.PrivateEndpoint));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Dev.Single(ResourceTypes.FunctionApp).Get("properties.virtualNetworkSubnetId").ValueKind);
    }

    [Fact]
    public void Prod_host_account_and_vault_refuse_public_traffic()
    {
        Assert.Equal("Disabled", Prod.HostStorage.Text("properties.publicNetworkAccess"));
        Assert.Equal("Deny", Prod.HostStorage.Text("properties.networkAcls.defaultAction"));
        Assert.Equal("None", Prod.HostStorage.Text("properties.networkAcls.bypass"));

        var vault = Prod.Single(ResourceTypes.KeyVault);
        Assert.Equal("Disabled", vault.Text("properties.publicNetworkAccess"));
        Assert.Equal("Deny", vault.Text("properties.networkAcls.defaultAction"));
    }

    [Fact]
    public void Prod_data_account_denies_public_traffic_but_lets_event_grid_dead_letter()
    {
        // Event Grid writes dead letters with the app identity as a trusted service; nothing else passes the firewall
        // (prod lists no IP ranges).
        var data = Prod.DataStorage;

        Assert.Equal("Deny", data.Text("properties.networkAcls.defaultAction"));
        Assert.Equal("AzureServices", data.Text("properties.networkAcls.bypass"));
        Assert.Empty(data.Get("properties.networkAcls.ipRules").EnumerateArray());
    }

    [Fact]
    public void Prod_app_sends_its_traffic_through_a_subnet_delegated_to_flex()
    {
        var network = Prod.Single(ResourceTypes.VirtualNetwork);
        var app = Prod.Single(ResourceTypes.FunctionApp);

        var subnetId = app.Text("properties.virtualNetworkSubnetId");
        Assert.Contains($"/virtualNetworks/{network.Name}'", subnetId, StringComparison.Ordinal);
        Assert.Contains(".subnets[0].id", subnetId, StringComparison.Ordinal);
        var appSubnet = network.Get("properties.subnets").EnumerateArray().First();
        Assert.Equal("app", appSubnet.GetProperty("name").GetString());
        Assert.Equal(
            "Microsoft.App/environments",
            appSubnet.GetProperty("properties").GetProperty("delegations").EnumerateArray().Single().GetProperty("properties").GetProperty("serviceName").GetString());
    }

    [Theory]
    [InlineData(false, "blob")]
    [InlineData(false, "queue")]
    [InlineData(false, "table")]
    [InlineData(true, "blob")]
    [InlineData(true, "queue")]
    [InlineData(true, "table")]
    public void Prod_reaches_each_storage_service_through_a_private_endpoint(bool hostAccount, string service)
    {
        var account = hostAccount ? Prod.HostStorage : Prod.DataStorage;

        Assert.Single(Prod.OfType(ResourceTypes.PrivateEndpoint), endpoint => Targets(endpoint, account.Id, service));
        Assert.Single(Prod.OfType(ResourceTypes.PrivateDnsZone), zone => zone.Name.Contains($"'privatelink.{service}.", StringComparison.Ordinal));
    }

    [Fact]
    public void Prod_reaches_the_vault_through_a_private_endpoint()
    {
        var vault = Prod.Single(ResourceTypes.KeyVault);

        Assert.Single(Prod.OfType(ResourceTypes.PrivateEndpoint), endpoint => Targets(endpoint, vault.Id, "vault"));
        Assert.Single(Prod.OfType(ResourceTypes.PrivateDnsZone), zone => zone.Name.Contains("'vaultcore'", StringComparison.Ordinal));
    }

    [Fact]
    public void Prod_app_accepts_inbound_calls_only_from_event_grid()
    {
        var app = Prod.Single(ResourceTypes.FunctionApp);

        Assert.Equal("Deny", app.Text("properties.siteConfig.ipSecurityRestrictionsDefaultAction"));
        var rule = app.Get("properties.siteConfig.ipSecurityRestrictions").EnumerateArray().Single();
        Assert.Equal("AzureEventGrid", rule.GetProperty("ipAddress").GetString());
        Assert.Equal("ServiceTag", rule.GetProperty("tag").GetString());
        Assert.Equal("Allow", rule.GetProperty("action").GetString());
        Assert.Equal("Allow", Dev.Single(ResourceTypes.FunctionApp).Text("properties.siteConfig.ipSecurityRestrictionsDefaultAction"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Claim_check_payloads_are_deleted_after_the_retention(string environment)
    {
        var snapshot = environment == "dev" ? Dev : Prod;
        var policy = snapshot.Single(ResourceTypes.ManagementPolicy);

        Assert.StartsWith(snapshot.DataStorage.Name + "/", policy.Name, StringComparison.Ordinal);
        var rule = policy.Get("properties.policy.rules").EnumerateArray().Single();
        Assert.True(rule.GetProperty("enabled").GetBoolean());
        var definition = rule.GetProperty("definition");
        Assert.Equal(["punch-batch-payloads/"], definition.GetProperty("filters").GetProperty("prefixMatch").EnumerateArray().Select(prefix => prefix.GetString()));
        // Longer than a queue message (poison ones included) lives, 7 days, so no queued batch loses its payload.
        Assert.Equal(14, definition.GetProperty("actions").GetProperty("baseBlob").GetProperty("delete").GetProperty("daysAfterModificationGreaterThan").GetInt32());
    }

    [Fact]
    public void Nothing_but_claim_checks_is_ever_deleted_by_a_rule()
    {
        var rules = Dev.Single(ResourceTypes.ManagementPolicy).Get("properties.policy.rules").EnumerateArray().ToList();

        Assert.All(rules, rule => Assert.All(
            rule.GetProperty("definition").GetProperty("filters").GetProperty("prefixMatch").EnumerateArray(),
            prefix => Assert.StartsWith("punch-batch-payloads/", prefix.GetString(), StringComparison.Ordinal)));
    }

    private static bool Targets(PredictedResource endpoint, string resourceId, string groupId)
    {
        var connection = endpoint.Get("properties.privateLinkServiceConnections").EnumerateArray().Single().GetProperty("properties");
        return connection.GetProperty("privateLinkServiceId").GetString() == resourceId
            && connection.GetProperty("groupIds").EnumerateArray().Single().GetString() == groupId;
    }
}
