using ClockSync.Cli.Hosting;
using ClockSync.Pipeline;

namespace ClockSync.Functions.Tests;

/// <summary>
/// `clocksync run` fills the flat settings its trigger attributes read (TriggerSettings) from the pipeline's own
/// settings, so it listens where the handlers send even when only the ClockSync__ names are set.
/// </summary>
public sealed class LocalHostTriggerSettingsTests
{
    [Fact]
    public void Flat_trigger_settings_follow_the_pipeline_settings()
    {
        var configuration = LocalHostBuilder.BuildConfiguration(new LocalHostOptions
        {
            ReadUserSettings = false,
            Overrides = new Dictionary<string, string?>
            {
                ["ClockSync:Storage:ExportsContainer"] = "other-exports",
                ["ClockSync:Storage:BatchQueue"] = "other-batches",
                ["ClockSync:Retry:Schedule"] = "*/2 * * * * *",
            },
        });

        Assert.Equal("other-exports", configuration[TriggerSettings.ExportsContainer]);
        Assert.Equal("other-batches", configuration[TriggerSettings.BatchQueue]);
        Assert.Equal("*/2 * * * * *", configuration[TriggerSettings.RetrySchedule]);
    }

    [Fact]
    public void Without_any_setting_the_triggers_get_the_pipeline_defaults()
    {
        var configuration = LocalHostBuilder.BuildConfiguration(new LocalHostOptions { ReadUserSettings = false });

        Assert.Equal("clock-exports", configuration[TriggerSettings.ExportsContainer]);
        Assert.Equal("punch-batches", configuration[TriggerSettings.BatchQueue]);
        Assert.Equal("0 */5 * * * *", configuration[TriggerSettings.RetrySchedule]);
    }

    [Fact]
    public void A_flat_setting_given_explicitly_is_kept()
    {
        // It is then the pipeline's start-up check that refuses a disagreement, naming both settings.
        var configuration = LocalHostBuilder.BuildConfiguration(new LocalHostOptions
        {
            ReadUserSettings = false,
            Overrides = new Dictionary<string, string?> { [TriggerSettings.BatchQueue] = "explicit-batches" },
        });

        Assert.Equal("explicit-batches", configuration[TriggerSettings.BatchQueue]);
    }
}
