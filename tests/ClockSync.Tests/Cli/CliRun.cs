using ClockSync.Cli;
using ClockSync.Punches;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Cli;

/// <summary>Runs clocksync in process with captured output and a fixed "now" (2025-06-10, after the samples).</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero));
        var context = new CliContext(stdout, stderr, time, () => new PunchOptions());

        var exitCode = await CliApp.RunAsync(args, context, CancellationToken.None);

        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
