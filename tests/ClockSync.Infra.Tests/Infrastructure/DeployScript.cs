namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>What one deploy.sh run printed, how it ended, and the az calls it made.</summary>
internal sealed record DeployRun(int ExitCode, string StandardOutput, string StandardError, IReadOnlyList<string> AzCalls)
{
    public string Output => StandardOutput + StandardError;

    public string Transcript => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}\n--- az calls ---\n{string.Join('\n', AzCalls)}";
}

/// <summary>
/// Runs infra-bicep/deploy.sh with the az stand-in (Scripts/az-stub.sh) first on PATH, in a folder of its own. The
/// stub answers from STUB_* variables; nothing reaches Azure. A run that outlives <see cref="RunLimit"/> is killed and
/// fails the test: that is how a test proves a wait in the script is bounded.
/// </summary>
internal sealed class DeployScript : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "clocksync-deploy-tests-" + Guid.NewGuid().ToString("N"));

    public DeployScript()
    {
        var bin = Path.Combine(_directory, "bin");
        Directory.CreateDirectory(bin);
        var az = Path.Combine(bin, "az");
        File.Copy(Path.Combine(RepositoryLayout.Root, "tests", "ClockSync.Infra.Tests", "Scripts", "az-stub.sh"), az);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Package = Path.Combine(_directory, "package.zip");
        File.WriteAllBytes(Package, [0x50, 0x4b, 0x05, 0x06]);
    }

    /// <summary>A stand-in package for the code step (it is never opened: az is the stub).</summary>
    public string Package { get; }

    public async Task<DeployRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var log = Path.Combine(_directory, "az-calls-" + Guid.NewGuid().ToString("N") + ".log");
        var startInfo = BoundedProcess.StartInfo("bash", RepositoryLayout.Root, [RepositoryLayout.DeployScript, .. arguments]);
        startInfo.Environment["PATH"] = Path.Combine(_directory, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        startInfo.Environment["STUB_LOG"] = log;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var result = await BoundedProcess.RunAsync(startInfo, RunLimit, $"deploy.sh {string.Join(' ', arguments)} (a wait in it is unbounded)");
        var calls = File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
        return new DeployRun(result.ExitCode, result.StandardOutput, result.StandardError, calls);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
