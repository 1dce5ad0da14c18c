using ClockSync.Cli;
using ClockSync.Cli.Demo;

namespace ClockSync.IntegrationTests.LocalHost;

/// <summary>
/// <c>clocksync demo</c> end to end in process: its own Azurite, the sandbox, the WebJobs host and the shipped samples,
/// ending with the summary checked against the sandbox ledger and the cards the sandbox's chat received; the console
/// holds progress and real problems, not the SDK's create-if-missing answers.
/// </summary>
[Collection(DemoRunsAlone.Name)]
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

        // One card per file, after the summary; the new starters' file is orange for its held punches.
        var cards = output.IndexOf("Feishu cards sent to chat oc_sandbox_ops: 3 (one per import)", StringComparison.Ordinal);
        Assert.True(cards > output.IndexOf(DemoReport.OkLine, StringComparison.Ordinal), output);
        Assert.Contains("[ORANGE] Imported with problems: 2_attlog-new-starters.dat", output, StringComparison.Ordinal);
        Assert.Matches(@"Posted to Feishu 2 of 6 · Held 4", output);
        Assert.Contains("Held for users Feishu does not know", output, StringComparison.Ordinal);
        Assert.Contains("Imported with problems: 1_attlog.dat", output, StringComparison.Ordinal);
        Assert.Contains("lines 13, 21, 28", output, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(output, "Feishu calls this month: "));

        // The console: progress lines, and no SDK warnings (404/409 answers of create-if-missing and look-ups).
        var console = stderr.ToString();
        Assert.Contains("3/3 files read", console, StringComparison.Ordinal);
        var sdkLines = console.Split('\n').Where(line => line.Contains("Azure.", StringComparison.Ordinal)).ToList();
        Assert.True(sdkLines.Count == 0, string.Join('\n', sdkLines));
        Assert.DoesNotContain("Error response", console, StringComparison.Ordinal);
        Assert.DoesNotContain("The specified queue does not exist", console, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: Azure", output + console, StringComparison.Ordinal);
    }
}

/// <summary>
/// The demo runs alone, after the parallel tests: the Azure SDK logs through a process-wide event source, so another
/// test's expected 401/403 answers (the local Key Vault's challenge) would otherwise show up on the demo's console.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoRunsAlone
{
    public const string Name = "Demo, alone";
}
