using System.Diagnostics;

namespace ClockSync.Benchmarks.Memory;

/// <summary>
/// Runs this benchmark again as a child process for one probe. A fresh process per case: peak working set is a
/// high-water mark and would otherwise carry over from the case before.
/// </summary>
internal static class ProbeProcess
{
    /// <summary>Runs <c>memory-probe {args}</c> and returns its standard output; its standard error goes to the console.</summary>
    /// <exception cref="InvalidOperationException">The child exited with a code other than 0.</exception>
    public static async Task<string> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ProbeProcess).Assembly.Location);
        }

        start.ArgumentList.Add(MemoryProbe.Name);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The probe did not start.");
        var output = await child.StandardOutput.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        return child.ExitCode == 0 ? output : throw new InvalidOperationException($"The probe failed ({child.ExitCode}): {output}");
    }
}
