using ClockSync.Infra.Tests.Infrastructure;
using ClockSync.TestSettings;

namespace ClockSync.Infra.Tests;

/// <summary>
/// Every app setting the code binds (the agreed names of docs/settings.md) is present with its value, storage is reached
/// through identity-based connections, and no key or storage connection string is stored anywhere.
/// </summary>
public sealed class AppSettingsTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;
    private static readonly PredictedResource Identity = Snapshot.Single(ResourceTypes.Identity);
    private static readonly PredictedResource Storage = Snapshot.DataStorage;
    private static readonly PredictedResource HostStorage = Snapshot.HostStorage;
    private static readonly IReadOnlyDictionary<string, string> Settings = ReadSettings();

    /// <summary>ClockSync__* settings with literal values (dev parameters / defaults), from the list shared with the sample's test.</summary>
    public static TheoryData<string, string> LiteralClockSyncSettings
    {
        get
        {
            var rows = new TheoryData<string, string>();
            foreach (var setting in ExpectedSettings.ClockSync.Where(setting => setting.Deployed == ExpectedSettings.Deployment.Literal))
            {
                rows.Add(setting.Name, setting.Value);
            }

            return rows;
        }
    }

    public static TheoryData<string> StorageConnections => new() { "AzureWebJobsStorage", "ClockSyncStorage" };

    [Theory]
    [MemberData(nameof(LiteralClockSyncSettings))]
    public void ClockSync_setting_has_its_value(string name, string value) => Assert.Equal(value, Setting(name));

    [Fact]
    public void Vault_uri_comes_from_the_deployed_vault() =>
        Assert.Matches(
            ArmExpression.Reference(Snapshot.Single(ResourceTypes.KeyVault).Id, "vaultUri"),
            Setting("ClockSync__KeyVault__VaultUri"));

    [Fact]
    public void No_unknown_ClockSync_setting_is_deployed()
    {
        // Settings left out while empty (the dev parameters leave them empty) are not deployed.
        var expected = ExpectedSettings.ClockSync
            .Where(setting => setting.Deployed != ExpectedSettings.Deployment.OnlyWhenSet)
            .Select(setting => setting.Name);

        var deployed = Settings.Keys.Where(name => name.StartsWith("ClockSync__", StringComparison.Ordinal));

        Assert.Equal(expected.Order(StringComparer.Ordinal), deployed.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ClockSyncExportsContainer", "ClockSync__Storage__ExportsContainer")]
    [InlineData("ClockSyncBatchQueue", "ClockSync__Storage__BatchQueue")]
    [InlineData("ClockSyncRetrySchedule", "ClockSync__Retry__Schedule")]
    public void Trigger_reads_a_flat_copy_equal_to_the_pipeline_setting(string flat, string pipelineSetting)
    {
        // The scale controller reads raw app settings; a `%A:B:C%` expression names no app setting it can look up.
        Assert.DoesNotContain(":", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("__", flat, StringComparison.Ordinal);
        Assert.Equal(Setting(pipelineSetting), Setting(flat));
    }

    [Fact]
    public void Optional_id_mapping_blob_is_left_out_when_not_configured() =>
        // Empty in the dev parameters: an empty setting would read as a blob path with no name.
        Assert.False(Settings.ContainsKey("ClockSync__Punches__IdMappingBlob"));

    [Theory]
    [MemberData(nameof(StorageConnections))]
    public void Storage_connection_uses_the_managed_identity(string connection)
    {
        Assert.Equal("managedidentity", Setting($"{connection}__credential"));
        Assert.Matches(ArmExpression.Reference(Identity.Id, "clientId"), Setting($"{connection}__clientId"));
        // The host has an account of its own; the pipeline's data is in the other one.
        var account = connection == "AzureWebJobsStorage" ? HostStorage : Storage;
        Assert.Matches(ArmExpression.Reference(account.Id, "primaryEndpoints.blob"), Setting($"{connection}__blobServiceUri"));
        Assert.Matches(ArmExpression.Reference(account.Id, "primaryEndpoints.queue"), Setting($"{connection}__queueServiceUri"));
        Assert.Matches(ArmExpression.Reference(account.Id, "primaryEndpoints.table"), Setting($"{connection}__tableServiceUri"));
    }

    [Theory]
    [MemberData(nameof(StorageConnections))]
    public void Storage_connection_is_not_a_connection_string(string connection) =>
        Assert.False(Settings.ContainsKey(connection), $"{connection} must not be a connection string");

    [Fact]
    public void Host_storage_also_names_the_account()
    {
        // The documented workaround for the host's intermittent "Could not create BlobServiceClient" at start-up with
        // __blobServiceUri alone; the service URIs stay alongside (tables have no account-name form).
        Assert.Equal(HostStorage.Name, Setting("AzureWebJobsStorage__accountName"));
        Assert.True(Settings.ContainsKey("AzureWebJobsStorage__tableServiceUri"));
    }

    [Fact]
    public void The_app_data_connection_uses_the_service_uris_only() =>
        Assert.False(Settings.ContainsKey("ClockSyncStorage__accountName"), "the account-name form only covers blobs and queues, not tables");

    [Fact]
    public void No_setting_holds_a_key_a_sas_or_a_storage_connection_string() =>
        Assert.All(Settings, setting =>
        {
            Assert.DoesNotContain("AccountKey", setting.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", setting.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", setting.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", setting.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("sig=", setting.Value, StringComparison.OrdinalIgnoreCase);
        });

    [Fact]
    public void Application_insights_ingestion_authenticates_with_the_identity()
    {
        var appInsights = Snapshot.Single(ResourceTypes.AppInsights);

        Assert.Matches(ArmExpression.Reference(appInsights.Id, "ConnectionString"), Setting("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        var authentication = Setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Assert.StartsWith("[format('Authorization=AAD;ClientId={0}', ", authentication, StringComparison.Ordinal);
        Assert.Matches(ArmExpression.ReferenceInside(Identity.Id, "clientId"), authentication);
    }

    [Fact]
    public void Default_azure_credential_selects_the_identity() =>
        Assert.Matches(ArmExpression.Reference(Identity.Id, "clientId"), Setting("AZURE_CLIENT_ID"));

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("AzureWebJobsDashboard")]
    public void Settings_flex_consumption_rejects_or_that_need_keys_are_absent(string name) =>
        Assert.False(Settings.ContainsKey(name), $"{name} must not be set on Flex Consumption");

    private static string Setting(string name) =>
        Settings.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"App setting {name} is not deployed.");

    private static Dictionary<string, string> ReadSettings()
    {
        var app = Snapshot.Single(ResourceTypes.FunctionApp);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in app.Get("properties.siteConfig.appSettings").EnumerateArray())
        {
            var name = setting.GetProperty("name").GetString()!;
            if (!settings.TryAdd(name, setting.GetProperty("value").GetString()!))
            {
                throw new InvalidOperationException($"App setting {name} is set twice.");
            }
        }

        return settings;
    }
}
