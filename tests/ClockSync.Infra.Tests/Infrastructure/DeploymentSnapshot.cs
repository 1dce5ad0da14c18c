using System.Text.Json;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>
/// The committed <c>infra-bicep/main.snapshot.json</c>: every resource the dev deployment would create, with module
/// nesting flattened and parameters resolved. BicepCliTests prove it is current; the other tests read it.
/// </summary>
internal sealed class DeploymentSnapshot
{
    private static readonly Lazy<DeploymentSnapshot> LazyCommitted = new(() => Load(RepositoryLayout.CommittedSnapshot));

    private DeploymentSnapshot(string text, IReadOnlyList<PredictedResource> resources, JsonElement outputs)
    {
        Text = text;
        Resources = resources;
        Outputs = outputs;
    }

    public static DeploymentSnapshot Committed => LazyCommitted.Value;

    /// <summary>The raw JSON, for checks that nothing anywhere contains a value.</summary>
    public string Text { get; }

    public IReadOnlyList<PredictedResource> Resources { get; }

    public JsonElement Outputs { get; }

    public IReadOnlyList<PredictedResource> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

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

    private static DeploymentSnapshot Load(string path)
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
