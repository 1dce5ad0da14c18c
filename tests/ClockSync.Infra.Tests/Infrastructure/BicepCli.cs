using System.Reflection;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>What one Bicep CLI run printed and how it ended.</summary>
internal sealed record BicepRun(string Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the CLI said, for assertion messages.</summary>
    public string Transcript => $"bicep {Arguments}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package that the test project restores with
/// PackageDownload. NuGet extracts it without the execute bit, so it is made executable here.
/// </summary>
internal sealed class BicepCli
{
    private const string PackagePath = "azure.bicep.commandline.linux-x64/0.49.2/tools/bicep";

    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    private BicepCli(string executable) => Executable = executable;

    public string Executable { get; }

    public static BicepCli Locate()
    {
        var candidates = new List<string>();
        var restored = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "BicepCliPath")?.Value;
        if (!string.IsNullOrEmpty(restored))
        {
            candidates.Add(restored);
        }

        var packagesFolder = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(packagesFolder))
        {
            candidates.Add(Path.Combine(packagesFolder, PackagePath));
        }

        candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", PackagePath));

        var executable = candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "The Bicep CLI was not restored. Looked in:\n" + string.Join('\n', candidates) +
            "\nRun: dotnet restore tests/ClockSync.Infra.Tests");

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(executable);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(executable, mode | execute);
            }
        }

        return new BicepCli(executable);
    }

    public async Task<BicepRun> RunAsync(IReadOnlyList<string> arguments, string workingDirectory)
    {
        var startInfo = BoundedProcess.StartInfo(Executable, workingDirectory, arguments);

        // Plain, stable output: no colours, no telemetry, no update checks.
        startInfo.Environment["NO_COLOR"] = "1";
        startInfo.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var result = await BoundedProcess.RunAsync(startInfo, RunLimit, $"bicep {string.Join(' ', arguments)}");
        return new BicepRun(string.Join(' ', arguments), result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
