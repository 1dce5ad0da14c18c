using Azure.Identity;
using ClockSync.Functions.Telemetry;

namespace ClockSync.Functions.Tests.Telemetry;

public sealed class ApplicationInsightsAuthenticationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Absent_means_no_entra_authentication(string? value)
    {
        Assert.Null(ApplicationInsightsAuthentication.Parse(value));
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000001")]
    [InlineData(" authorization = aad ; clientid = abc ;", "abc")]
    [InlineData("Authorization=AAD", null)]
    [InlineData("Authorization=AAD;ClientId=", null)]
    public void The_user_assigned_client_id_is_read_and_its_absence_means_system_assigned(string value, string? clientId)
    {
        var authentication = ApplicationInsightsAuthentication.Parse(value);

        Assert.NotNull(authentication);
        Assert.Equal(clientId, authentication.ClientId);
        Assert.IsType<ManagedIdentityCredential>(authentication.CreateCredential());
    }

    [Theory]
    [InlineData("ClientId=abc", "Authorization must be AAD")]
    [InlineData("Authorization=Key;ClientId=abc", "Authorization must be AAD")]
    [InlineData("Authorization=AAD;Secret=abc", "unknown key 'Secret'")]
    [InlineData("Authorization", "'Authorization' is not a key=value pair")]
    public void A_malformed_value_is_refused_with_the_setting_named(string value, string expected)
    {
        var failure = Assert.Throws<FormatException>(() => ApplicationInsightsAuthentication.Parse(value));

        Assert.StartsWith(ApplicationInsightsAuthentication.SettingName + ":", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_named_without_echoing_its_value()
    {
        var failure = Assert.Throws<FormatException>(() => ApplicationInsightsAuthentication.Parse("Authorization=AAD;Secret=hunter2"));

        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
    }
}
