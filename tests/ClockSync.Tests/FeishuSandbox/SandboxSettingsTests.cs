using ClockSync.FeishuSandbox;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Settings that cannot work are refused at start, naming the setting.</summary>
public sealed class SandboxSettingsTests
{
    public static TheoryData<string, SandboxSettings> Unworkable => new()
    {
        { "Port", new SandboxSettings { Port = 70000 } },
        { "Apps", new SandboxSettings { Apps = new Dictionary<string, string>() } },
        { "Apps", new SandboxSettings { Apps = new Dictionary<string, string> { ["cli"] = "" } } },
        { "TokenLifetime", new SandboxSettings { TokenLifetime = TimeSpan.Zero } },
        { "RateLimit", new SandboxSettings { RateLimit = new SandboxRateLimit(-1) } },
        { "RateLimit", new SandboxSettings { RateLimit = new SandboxRateLimit(5, 0) } },
        { "Behaviour", new SandboxSettings { Behaviour = new SandboxBehaviour { AuthErrorHttpStatus = 200 } } },
        { "Messaging", new SandboxSettings { Messaging = new SandboxMessaging { PerChatPerSecond = -1 } } },
        { "Messaging", new SandboxSettings { Messaging = new SandboxMessaging { Chats = new Dictionary<string, bool> { [""] = true } } } },
    };

    [Theory]
    [MemberData(nameof(Unworkable))]
    public async Task Unworkable_settings_are_refused_at_start(string setting, SandboxSettings settings)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FeishuSandboxServer.StartAsync(settings));

        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void The_defaults_are_workable_and_follow_the_contract()
    {
        var settings = new SandboxSettings();

        settings.Validate();
        Assert.Equal(TimeSpan.FromHours(2), settings.TokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(30), settings.TokenReuseMinimumRemaining);
        Assert.Equal(50, settings.RateLimit.RequestsPerSecond);
        Assert.Equal(SandboxSettings.DefaultAppSecret, settings.Apps[SandboxSettings.DefaultAppId]);
        Assert.Null(settings.KnownUsers);
        Assert.Equal(UnknownUserMode.PartialSuccess, settings.Behaviour.UnknownUserMode);
        Assert.Equal(ErrorStatusStyle.Documented, settings.Behaviour.ErrorStatus);
    }
}
