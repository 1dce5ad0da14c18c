using ClockSync.Cli;

namespace ClockSync.Tests.Cli;

public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData(new[] { "validate" }, "Run 'clocksync validate --help' for usage.")]
    [InlineData(new[] { "failed", "show" }, "Run 'clocksync failed show --help' for usage.")]
    [InlineData(new[] { "no-such-command" }, "Run 'clocksync --help' for usage.")]
    public async Task A_wrong_command_line_points_at_the_help_of_the_whole_command_path(string[] args, string hint)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(hint, run.Error, StringComparison.Ordinal);
    }
}
