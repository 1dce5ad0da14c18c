using System.Globalization;
using System.Text.Json;

namespace ClockSync.Infra.Tests.Infrastructure;

/// <summary>
/// One resource of the snapshot's predictedResources, with typed access by dotted path
/// (<c>properties.siteConfig.minTlsVersion</c>). A missing or mistyped value fails with the resource and path named.
/// </summary>
internal sealed class PredictedResource(JsonElement json)
{
    private const string ExtensionSeparator = "/providers/Microsoft.Authorization/roleAssignments/";

    public JsonElement Json { get; } = json;

    public string Type => Json.GetProperty("type").GetString()!;

    public string Name => Json.GetProperty("name").GetString()!;

    public string Id => Json.GetProperty("id").GetString()!;

    /// <summary>The last segment of the name (a child resource's own name).</summary>
    public string ShortName => Name[(Name.LastIndexOf('/') + 1)..];

    /// <summary>For a role assignment: the id of the resource it is assigned on.</summary>
    public string AssignmentScope
    {
        get
        {
            var separator = Id.IndexOf(ExtensionSeparator, StringComparison.Ordinal);
            return separator > 0
                ? Id[..separator]
                : throw new InvalidOperationException($"{Id} is not a role assignment on a resource.");
        }
    }

    public bool Has(string path) => TryGet(path, out _);

    public JsonElement Get(string path) => TryGet(path, out var value)
        ? value
        : throw new KeyNotFoundException($"{Type} '{Name}' has no {path}.");

    public string Text(string path)
    {
        var value = Get(path);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidOperationException($"{Type} '{Name}' {path} is {value.ValueKind}, not a string: {value}");
    }

    public bool Flag(string path)
    {
        var value = Get(path);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new InvalidOperationException($"{Type} '{Name}' {path} is {value.ValueKind}, not a boolean: {value}");
    }

    public int Number(string path)
    {
        var value = Get(path);
        return value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : throw new InvalidOperationException($"{Type} '{Name}' {path} is {value.ValueKind}, not a number: {value}");
    }

    public IReadOnlyList<string> Texts(string path) =>
        Get(path).EnumerateArray().Select(item => item.GetString()!).ToList();

    public IReadOnlyDictionary<string, string> Tags =>
        Has("tags")
            ? Get("tags").EnumerateObject().ToDictionary(tag => tag.Name, tag => tag.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Type} '{Name}'");

    private bool TryGet(string path, out JsonElement value)
    {
        value = Json;
        foreach (var segment in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }

        return true;
    }
}
