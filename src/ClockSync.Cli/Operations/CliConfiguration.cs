using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace ClockSync.Cli.Operations;

/// <summary>
/// The settings the operator commands read, in the Functions app's shape: <c>local.settings.json</c> <c>Values</c>
/// (the repository root's first, then the current folder's) overridden by environment variables. <c>ClockSync__X__Y</c>
/// becomes <c>ClockSync:X:Y</c> in both, as the Functions host does.
/// </summary>
internal static class CliConfiguration
{
    public const string SettingsFile = "local.settings.json";

    /// <summary>Where a setting can be given, for error messages.</summary>
    public static string WhereToSet(string key) =>
        $"set the environment variable {ToEnvironmentName(key)}, or \"{ToEnvironmentName(key)}\" under \"Values\" in {SettingsFile} (repository root or current folder)";

    public static string ToEnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    public static IConfiguration Load(string currentDirectory)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var folders = new List<string>();
        if (Local.RepositoryLayout.FindToolsRoot(currentDirectory) is { } root)
        {
            folders.Add(root);
        }

        folders.Add(currentDirectory);
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            AddSettingsFile(Path.Combine(folder, SettingsFile), values);
        }

        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            values[Normalise((string)variable.Key)] = variable.Value as string;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static void AddSettingsFile(string path, Dictionary<string, string?> values)
    {
        if (!File.Exists(path))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new CliConfigurationException($"{path}: not valid JSON ({exception.Message})", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Values", out var section)
                || section.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in section.EnumerateObject())
            {
                values[Normalise(property.Name)] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }
    }

    private static string Normalise(string key) => key.Replace("__", ":", StringComparison.Ordinal);
}

/// <summary>A settings file that cannot be read; the message names it.</summary>
internal sealed class CliConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
