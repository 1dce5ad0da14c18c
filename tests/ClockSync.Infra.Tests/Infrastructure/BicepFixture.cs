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
