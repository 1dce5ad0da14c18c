using System.Reflection;
using System.Text.Json;

namespace ClockSync.Functions.Tests;

/// <summary>Paths baked in at build time (see the csproj), so the tests read the files the build used.</summary>
internal static class RepositoryFiles
{
    public static string Root => Metadata("RepositoryRoot");

    public static string FunctionsOutput => Metadata("FunctionsOutputDirectory");

    public static JsonDocument ReadJson(string path)
    {
        Assert.True(File.Exists(path), $"{path} does not exist.");
        return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
    }

    private static string Metadata(string key) =>
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} has no value.");
}
