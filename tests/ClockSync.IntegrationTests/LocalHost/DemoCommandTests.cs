using ClockSync.Cli;
using ClockSync.Cli.Demo;

namespace ClockSync.IntegrationTests.LocalHost;

/// <summary>
/// <c>clocksync demo</c> end to end in process: its own Azurite, the sandbox, the WebJobs host and the shipped samples,
/// ending with the summary checked against the sandbox ledger.
/// </summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_posts_the_samples_retries_the_429s_holds_the_new_starters_and_matches_the_ledger()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var exit = await CliApp.RunAsync(["demo", "--timeout", "420"], stdout, stderr, timeout.Token);

        var output = stdout.ToString();
        Assert.True(exit == ExitCodes.Ok, output + stderr);
        Assert.Contains(DemoReport.OkLine, output, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoReport.MismatchPrefix, output, StringComparison.Ordinal);
        Assert.Matches(@"throttled \(429\)\s+5", output);
        Assert.Matches(@"punches parked\s+0", output);
        Assert.Matches(@"punches held\s+[1-9]", output);
    }
}
