namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>Paths of the infrastructure files, found from the test output folder upwards (no build-time coupling).</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string InfraDirectory => Path.Combine(Root, "infra-bicep");

    public static string MainTemplate => Path.Combine(InfraDirectory, "main.bicep");

    public static string DevParameters => Path.Combine(InfraDirectory, "main.bicepparam");

    public static string CommittedSnapshot => Path.Combine(InfraDirectory, "main.snapshot.json");

    /// <summary>The dev parameters as the post-deploy events step uses them (subscribeBlobEvents = true).</summary>
    public static string EventsParameters => Path.Combine(InfraDirectory, "events.bicepparam");

    public static string EventsSnapshot => Path.Combine(InfraDirectory, "events.snapshot.json");

    public static string ProdParameters => Path.Combine(InfraDirectory, "prod.bicepparam");

    public static string ProdSnapshot => Path.Combine(InfraDirectory, "prod.snapshot.json");

    /// <summary>Every committed parameter file; each has a committed snapshot next to it.</summary>
    public static IReadOnlyList<string> ParameterFiles => [DevParameters, EventsParameters, ProdParameters];

    public static string DeployScript => Path.Combine(InfraDirectory, "deploy.sh");

    public static string DeployWorkflow => Path.Combine(Root, ".github", "workflows", "deploy.yml");

    public static string SnapshotScopeFile => Path.Combine(InfraDirectory, "snapshot.env");

    public static string BicepConfig => Path.Combine(InfraDirectory, "bicepconfig.json");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsApp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"FunctionsApp.sln not found in any parent of {AppContext.BaseDirectory}; the infra tests run from the repository.");
    }
}
