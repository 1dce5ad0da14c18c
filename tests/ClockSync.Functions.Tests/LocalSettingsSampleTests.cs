using System.Text.Json;
using ClockSync.TestSettings;

namespace ClockSync.Functions.Tests;

/// <summary>
/// local.settings.sample.json is what a developer copies to local.settings.json: it must name every app setting the
/// app reads (docs/settings.md), run against Azurite as it is, and hold nothing that could be a real credential.
/// </summary>
public sealed class LocalSettingsSampleTests
{
    /// <summary>
    /// The app settings of docs/settings.md that apply locally. The identity-based forms (<c>…__credential</c>,
    /// <c>…__blobServiceUri</c>…) replace the connection strings in Azure and are documented in the README instead:
    /// next to a connection string they would only confuse which one the host uses.
    /// </summary>
    public static TheoryData<string, string> ExpectedValues
    {
        get
        {
            var rows = new TheoryData<string, string>
            {
                { "FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated" },
                { "AzureWebJobsStorage", "UseDevelopmentStorage=true" },
                { "ClockSyncStorage", "UseDevelopmentStorage=true" },
                { "APPLICATIONINSIGHTS_CONNECTION_STRING", "" },
                { "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "" },
                { "AZURE_CLIENT_ID", "" },

                // The flat copies the trigger attributes read (TriggerSettings), equal to the settings below.
                { "ClockSyncExportsContainer", "clock-exports" },
                { "ClockSyncBatchQueue", "punch-batches" },
                { "ClockSyncRetrySchedule", "0 */5 * * * *" },
            };

            // Every ClockSync__* setting, from the list the Bicep app-settings test reads too.
            foreach (var setting in ExpectedSettings.ClockSync)
            {
                rows.Add(setting.Name, setting.Value);
            }

            return rows;
        }
    }

    private static readonly Lazy<Dictionary<string, string>> Values = new(ReadValues);

    [Theory]
    [MemberData(nameof(ExpectedValues))]
    public void Every_setting_is_listed_with_its_safe_local_default(string name, string expected)
    {
        Assert.True(Values.Value.TryGetValue(name, out var actual), $"local.settings.sample.json does not list {name}.");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Nothing_is_listed_that_the_app_does_not_read()
    {
        var known = ExpectedValues.Select(row => (string)row[0])
            .Concat(["ClockSync__Feishu__AppId", "ClockSync__Feishu__AppSecret"])
            .ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(Values.Value.Keys, name => !known.Contains(name));
    }

    [Fact]
    public void Without_a_vault_the_feishu_credentials_are_obvious_placeholders()
    {
        Assert.Equal("", Values.Value["ClockSync__KeyVault__VaultUri"]);
        Assert.StartsWith("cli_replace", Values.Value["ClockSync__Feishu__AppId"], StringComparison.Ordinal);
        Assert.StartsWith("replace-with", Values.Value["ClockSync__Feishu__AppSecret"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessSignature=")]
    [InlineData("sig=")]
    [InlineData("InstrumentationKey=")]
    [InlineData("ClientSecret")]
    [InlineData("Password")]
    [InlineData(".vault.azure.net")]
    public void No_value_looks_like_a_real_credential_or_endpoint(string marker)
    {
        Assert.DoesNotContain(Values.Value, setting => setting.Value.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void It_is_a_local_settings_file_the_tools_read_as_is()
    {
        using var document = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.Root, "local.settings.sample.json"));

        Assert.False(document.RootElement.GetProperty("IsEncrypted").GetBoolean());
        Assert.All(
            document.RootElement.GetProperty("Values").EnumerateObject(),
            setting => Assert.Equal(JsonValueKind.String, setting.Value.ValueKind));
    }

    private static Dictionary<string, string> ReadValues()
    {
        using var document = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.Root, "local.settings.sample.json"));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(setting => setting.Name, setting => setting.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}
