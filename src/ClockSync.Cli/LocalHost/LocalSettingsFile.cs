using System.Text.Json;
using ClockSync.Cli.Local;

namespace ClockSync.Cli.LocalHost;

/// <summary>
/// The <c>Values</c> of a Functions <c>local.settings.json</c>, as configuration keys (<c>ClockSync__Storage__X</c>
/// becomes <c>ClockSync:Storage:X</c>, as environment variables do), so <c>run</c> and <c>func start</c> share one file.
/// </summary>
internal static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";

    /// <summary>The file in the current folder, else at the repository root; null when there is none.</summary>
    public static string? Find(string currentDirectory)
    {
        var here = Path.Combine(currentDirectory, FileName);
        if (File.Exists(here))
        {
            return here;
        }

        var root = RepositoryLayout.FindToolsRoot(currentDirectory);
        var atRoot = root is null ? null : Path.Combine(root, FileName);
        return atRoot is not null && File.Exists(atRoot) ? atRoot : null;
    }

    /// <exception cref="InvalidDataException">The file is not JSON or its Values are not strings; the message names the file.</exception>
    public static Dictionary<string, string?> ReadValues(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("Values", out var section) || section.ValueKind != JsonValueKind.Object)
            {
                return values;
            }

            foreach (var setting in section.EnumerateObject())
            {
                if (setting.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    throw new InvalidDataException($"{path}: Values.{setting.Name} must be a string.");
                }

                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText();
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        return values;
    }
}
