using System.Diagnostics;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>What a process printed and how it ended.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a process to its end with both outputs captured, or kills it (and its children) once <c>limit</c> has passed
/// and fails with <c>what</c> named: a test never waits on a hung CLI or script for longer than its limit.
/// </summary>
internal static class BoundedProcess
{
    public static ProcessStartInfo StartInfo(string executable, string workingDirectory, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    public static async Task<ProcessResult> RunAsync(ProcessStartInfo startInfo, TimeSpan limit, string what)
    {
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        using var deadline = new CancellationTokenSource(limit);
        var standardOutput = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var standardError = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish within {limit}.");
        }

        return new ProcessResult(process.ExitCode, await standardOutput, await standardError);
    }
}
