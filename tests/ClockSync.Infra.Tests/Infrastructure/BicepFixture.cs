using System.Text.Json;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>
/// Locates the Bicep CLI once and compiles main.bicep once (into a temporary folder, never into the repository) for
/// all CLI tests. The CLI tests share one collection so two CLIs never compete for the machine's cores.
/// </summary>
public sealed class BicepFixture : IAsyncLifetime, IDisposable
{
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "clocksync-infra-tests-" + Guid.NewGuid().ToString("N"));

    internal BicepCli Cli { get; private set; } = null!;

    internal BicepRun Build { get; private set; } = null!;

    /// <summary>The ARM template main.bicep compiles to (parameters with their types, outputs).</summary>
    internal JsonElement CompiledTemplate { get; private set; }

    internal string WorkDirectory => _workDirectory;

    /// <summary>Dev with an operator service principal granted (deployerPrincipalId set), snapshotted once on demand.</summary>
    internal Task<DeploymentSnapshot> DeployerSnapshot => _deployerSnapshot.Value;

    public const string DeployerPrincipalId = "22222222-2222-2222-2222-222222222222";

    private readonly Lazy<Task<DeploymentSnapshot>> _deployerSnapshot;

    public BicepFixture() => _deployerSnapshot = new(() => SnapshotAsync(
        "deployer",
        $"param deployerPrincipalId = '{DeployerPrincipalId}'\nparam deployerPrincipalType = 'ServicePrincipal'\n"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDirectory);
        Cli = BicepCli.Locate();
        var compiled = Path.Combine(_workDirectory, "main.json");
        Build = await Cli.RunAsync(["build", RepositoryLayout.MainTemplate, "--outfile", compiled], RepositoryLayout.Root);
        if (File.Exists(compiled))
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(compiled));
            CompiledTemplate = document.RootElement.Clone();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Snapshots the dev parameters with <paramref name="overrides"/> (bicepparam lines) in the work folder, at the
    /// committed snapshot's scope, and reads the result.
    /// </summary>
    private async Task<DeploymentSnapshot> SnapshotAsync(string name, string overrides)
    {
        var parameters = Path.Combine(_workDirectory, name + ".bicepparam");
        await File.WriteAllTextAsync(
            parameters,
            $"using '{Relative(RepositoryLayout.MainTemplate)}'\n\nextends '{Relative(RepositoryLayout.DevParameters)}'\n\n{overrides}");
        var run = await Cli.RunAsync(
            ["snapshot", parameters, "--mode", "overwrite", .. SnapshotScope.Committed.CliOptions],
            _workDirectory);
        var snapshot = Path.ChangeExtension(parameters, ".snapshot.json");
        return run.ExitCode == 0 && File.Exists(snapshot)
            ? DeploymentSnapshot.Load(snapshot)
            : throw new InvalidOperationException(run.Transcript);
    }

    // Bicep accepts only relative paths in using and extends.
    private string Relative(string path) => Path.GetRelativePath(_workDirectory, path).Replace('\\', '/');

    public void Dispose()
    {
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BicepGroup : ICollectionFixture<BicepFixture>
{
    public const string Name = "bicep-cli";
}
