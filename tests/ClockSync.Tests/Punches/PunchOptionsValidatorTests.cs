using ClockSync.Punches;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClockSync.Tests.Punches;

public sealed class PunchOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(PunchOptions options) => new PunchOptionsValidator().Validate(null, options);

    [Fact]
    public void Defaults_are_valid_and_match_the_documented_values()
    {
        var options = new PunchOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal("Asia/Shanghai", options.TimeZone);
        Assert.Equal(50, options.BatchSize);
        Assert.Equal(new DateOnly(2022, 1, 1), options.EarliestDate);
        Assert.Equal(TimeSpan.FromDays(1), options.FutureTolerance);
        Assert.Equal(UnmappedUserPolicy.Reject, options.UnmappedUsers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    [InlineData(500)]
    public void Batch_sizes_outside_1_to_50_are_refused(int size)
    {
        var result = Validate(new PunchOptions { BatchSize = size });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("BatchSize", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public void Batch_sizes_1_to_50_are_accepted(int size)
    {
        Assert.True(Validate(new PunchOptions { BatchSize = size }).Succeeded);
    }

    [Fact]
    public void An_unknown_zone_is_named_in_the_failure()
    {
        var result = Validate(new PunchOptions { TimeZone = "Asia/Beijing" });

        Assert.Contains(result.Failures!, f => f.Contains("\"Asia/Beijing\" is not a known IANA time zone id", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_device_zone_names_the_device()
    {
        var options = new PunchOptions();
        options.DeviceTimeZones["gate-2"] = "Nowhere/Land";

        var result = Validate(options);

        Assert.Contains(result.Failures!, f => f.Contains("DeviceTimeZones:gate-2 \"Nowhere/Land\"", StringComparison.Ordinal));
    }

    [Fact]
    public void An_earliest_date_before_what_Feishu_accepts_is_refused()
    {
        Assert.True(Validate(new PunchOptions { EarliestDate = new DateOnly(2021, 12, 31) }).Failed);
        Assert.True(Validate(new PunchOptions { EarliestDate = new DateOnly(2024, 1, 1) }).Succeeded);
    }

    [Fact]
    public void Empty_names_and_negative_values_are_refused()
    {
        Assert.True(Validate(new PunchOptions { Source = "" }).Failed);
        Assert.True(Validate(new PunchOptions { DefaultLocationName = " " }).Failed);
        Assert.True(Validate(new PunchOptions { FutureTolerance = TimeSpan.FromHours(-1) }).Failed);
        Assert.True(Validate(new PunchOptions { MaxRejectionsListed = -1 }).Failed);
        Assert.True(Validate(new PunchOptions { UnmappedUsers = (UnmappedUserPolicy)7 }).Failed);
    }

    [Fact]
    public void Options_bind_from_the_configuration_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ClockSync:Punches:TimeZone"] = "Europe/Berlin",
                ["ClockSync:Punches:BatchSize"] = "20",
                ["ClockSync:Punches:UnmappedUsers"] = "PassThrough",
                ["ClockSync:Punches:DeviceTimeZones:gate-2"] = "America/New_York",
            })
            .Build();
        var options = new PunchOptions();

        configuration.GetSection(PunchOptions.SectionName).Bind(options);

        Assert.Equal("Europe/Berlin", options.TimeZone);
        Assert.Equal(20, options.BatchSize);
        Assert.Equal(UnmappedUserPolicy.PassThrough, options.UnmappedUsers);
        Assert.Equal("America/New_York", options.DeviceTimeZones["GATE-2"]);
    }
}
