using ClockSync.FeishuSandbox;
using ClockSync.FeishuSandbox.Hosting;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>The standalone server's options.</summary>
public sealed class SandboxCommandLineTests
{
    [Fact]
    public void Parses_every_option()
    {
        var (settings, error) = SandboxCommandLine.Parse(
            ["--port", "5080", "--app-id", "cli_demo", "--app-secret", "demo-secret", "--users", "7, 18,A1034",
             "--unknown-user-mode", "whole", "--rate-limit", "20", "--token-lifetime", "600", "--monthly-quota", "10000", "--errors-as-200"],
            secretFromEnvironment: null);

        Assert.Null(error);
        Assert.Equal(5080, settings!.Port);
        Assert.Equal("demo-secret", settings.Apps["cli_demo"]);
        Assert.Single(settings.Apps);
        Assert.True(settings.KnownUsers!.EmployeeIds.SetEquals(["7", "18", "A1034"]));
        Assert.True(settings.KnownUsers.EmployeeNos.SetEquals(["7", "18", "A1034"]));
        Assert.Equal(UnknownUserMode.WholeRequest1220004, settings.Behaviour.UnknownUserMode);
        Assert.Equal(20, settings.RateLimit.RequestsPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.TokenLifetime);
        Assert.Equal(ErrorStatusStyle.AlwaysHttp200, settings.Behaviour.ErrorStatus);
        Assert.Equal(10000, settings.MonthlyQuota);
    }

    [Fact]
    public void Chats_and_their_rate_are_options()
    {
        var (settings, error) = SandboxCommandLine.Parse(["--chats", "oc_a, oc_b", "--chat-rate", "2"], secretFromEnvironment: null);

        Assert.Null(error);
        Assert.Equal(["oc_a", "oc_b"], settings!.Messaging.Chats.Keys.Order(StringComparer.Ordinal));
        Assert.All(settings.Messaging.Chats.Values, Assert.True);
        Assert.Equal(2, settings.Messaging.PerChatPerSecond);
    }

    [Fact]
    public void Defaults_accept_any_user_and_take_the_secret_from_the_environment()
    {
        var (settings, error) = SandboxCommandLine.Parse([], secretFromEnvironment: "env-secret");

        Assert.Null(error);
        Assert.Null(settings!.KnownUsers);
        Assert.Equal("env-secret", settings.Apps[SandboxSettings.DefaultAppId]);
        Assert.Equal(UnknownUserMode.PartialSuccess, settings.Behaviour.UnknownUserMode);
        Assert.Null(settings.MonthlyQuota);
    }

    [Theory]
    [InlineData("--port", "http")]
    [InlineData("--unknown-user-mode", "sometimes")]
    [InlineData("--colour", "blue")]
    [InlineData("--port")]
    public void Bad_options_give_an_error_naming_the_option(params string[] args)
    {
        var (settings, error) = SandboxCommandLine.Parse(args, secretFromEnvironment: null);

        Assert.Null(settings);
        Assert.StartsWith(args[0], error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_never_appears_in_an_error()
    {
        var (_, error) = SandboxCommandLine.Parse(["--app-secret", "top-secret", "--port", "x"], secretFromEnvironment: null);

        Assert.DoesNotContain("top-secret", error, StringComparison.Ordinal);
    }
}
