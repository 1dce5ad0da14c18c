using System.Text.Json;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>
/// A committed snapshot (<c>infra-bicep/*.snapshot.json</c>): every resource a deployment with one parameter file
/// would create, with module nesting flattened and parameters resolved. BicepCliTests prove they are current; the
/// other tests read them.
/// </summary>
internal sealed class DeploymentSnapshot
{
    private static readonly Lazy<DeploymentSnapshot> LazyCommitted = new(() => Load(RepositoryLayout.CommittedSnapshot));
    private static readonly Lazy<DeploymentSnapshot> LazyEvents = new(() => Load(RepositoryLayout.EventsSnapshot));
    private static readonly Lazy<DeploymentSnapshot> LazyProd = new(() => Load(RepositoryLayout.ProdSnapshot));

    private DeploymentSnapshot(string text, IReadOnlyList<PredictedResource> resources, JsonElement outputs)
    {
        Text = text;
        Resources = resources;
        Outputs = outputs;
    }

    /// <summary>Dev, as the infra step deploys it (main.bicepparam: no Event Grid subscription).</summary>
    public static DeploymentSnapshot Committed => LazyCommitted.Value;

    /// <summary>Dev, as the post-deploy events step deploys it (events.bicepparam: with the subscription).</summary>
    public static DeploymentSnapshot Events => LazyEvents.Value;

    /// <summary>Production (prod.bicepparam): private network, a warm blob instance.</summary>
    public static DeploymentSnapshot Prod => LazyProd.Value;

    /// <summary>The raw JSON, for checks that nothing anywhere contains a value.</summary>
    public string Text { get; }

    public IReadOnlyList<PredictedResource> Resources { get; }

    public JsonElement Outputs { get; }

    public IReadOnlyList<PredictedResource> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The storage account of ClockSync's data (ClockSyncStorage): st&lt;token&gt;.</summary>
    public PredictedResource DataStorage => StorageAccount(host: false);

    /// <summary>The Functions host's storage account (AzureWebJobsStorage): stfn&lt;token&gt;.</summary>
    public PredictedResource HostStorage => StorageAccount(host: true);

    /// <summary>The one resource of a type; fails if there are none or several.</summary>
    public PredictedResource Single(string type)
    {
        var matches = OfType(type);
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected exactly one {type}, found {matches.Count}: {string.Join(", ", matches)}");
    }

    /// <summary>The one resource of a type whose own (last) name segment is <paramref name="shortName"/>.</summary>
    public PredictedResource Single(string type, string shortName)
    {
        var matches = OfType(type).Where(resource => resource.ShortName == shortName).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"Expected exactly one {type} named '{shortName}', found {matches.Count} among: " +
                string.Join(", ", OfType(type).Select(resource => resource.ShortName)));
    }

    private PredictedResource StorageAccount(bool host)
    {
        var matches = OfType(ResourceTypes.StorageAccount).Where(account => account.Name.StartsWith("stfn", StringComparison.Ordinal) == host).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {(host ? "host" : "data")} storage account, found {matches.Count}.");
    }

    /// <summary>A snapshot written elsewhere (a test's own parameter file).</summary>
    public static DeploymentSnapshot Load(string path)
    {
        var text = File.ReadAllText(path);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement.Clone();
        var resources = root.GetProperty("predictedResources").EnumerateArray()
            .Select(resource => new PredictedResource(resource))
            .ToList();
        return new DeploymentSnapshot(text, resources, root.GetProperty("outputs"));
    }
}
