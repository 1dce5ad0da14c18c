using ClockSync.Cli;
using ClockSync.IntegrationTests.Pipeline;
using ClockSync.Punches;
using Microsoft.Extensions.Configuration;

namespace ClockSync.IntegrationTests.Cli;

/// <summary>One in-process <c>clocksync</c> run: exit code and captured output.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs clocksync commands in process with the given settings (never the machine's environment).</summary>
internal static class OperatorCli
{
    public static Task<CliResult> RunAsync(PipelineHarness harness, params string[] args) =>
        RunAsync(harness.Settings, harness.Time, args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider time, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, time, () => new PunchOptions())
        {
            Configuration = () => new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
        };

        var exitCode = await CliApp.RunAsync(args, context, CancellationToken.None);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public static IReadOnlyDictionary<string, string?> Without(this IReadOnlyDictionary<string, string?> settings, params string[] keys) =>
        settings.Where(pair => !keys.Contains(pair.Key, StringComparer.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value);
}
