using System.Collections;
using System.Text.Json;
using ClockSync.Cli.Emulators;
using Microsoft.Extensions.Configuration;

namespace ClockSync.Cli.Configuration;

/// <summary>
/// The one way the CLI reads its settings, for <c>run</c>, the demo and every operator command. Precedence, highest
/// first:
/// <list type="number">
/// <item>overrides the command itself gives (command-line options, the demo's own endpoints);</item>
/// <item>environment variables with a non-empty value;</item>
/// <item><c>Values</c> of one <c>local.settings.json</c>: the current folder's, else the repository root's;</item>
/// <item>the defaults of the options classes (not set here: binding leaves them in place).</item>
/// </list>
/// Environment over file is what Azure Functions Core Tools does for <c>func start</c> (a setting already in the
/// environment is kept and the file's value skipped; an empty one is not counted as set), so <c>run</c> and
/// <c>func start</c> read one file the same way. <c>ClockSync__Storage__X</c> becomes <c>ClockSync:Storage:X</c> in
/// both sources, as the Functions host maps them.
/// </summary>
internal static class LocalSettings
{
    public const string FileName = "local.settings.json";

    /// <summary>Where a setting can be given, for error messages.</summary>
    public static string WhereToSet(string key) =>
        $"set the environment variable {ToEnvironmentName(key)}, or \"{ToEnvironmentName(key)}\" under \"Values\" in {FileName} (current folder, else the repository root)";

    public static string ToEnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string ToConfigurationKey(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>
    /// The settings by the precedence above. <paramref name="environment"/>: the process's environment variables when
    /// null (tests pass their own).
    /// </summary>
    /// <exception cref="InvalidDataException">The settings file is not JSON or a value is not a scalar; the message names the file.</exception>
    public static IConfigurationRoot Load(
        string currentDirectory, IReadOnlyDictionary<string, string?>? overrides = null, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(currentDirectory);
        var values = Find(currentDirectory) is { } file
            ? ReadValues(file)
            : new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

        foreach (DictionaryEntry variable in environment ?? Environment.GetEnvironmentVariables())
        {
            if (variable.Value is string { Length: > 0 } value)
            {
                values[ToConfigurationKey((string)variable.Key)] = value;
            }
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

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

    /// <summary>The file's <c>Values</c> as configuration keys; numbers and booleans as written, null as unset.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON or a value is an object or array; the message names the file.</exception>
    public static Dictionary<string, string?> ReadValues(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(
                File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Values", out var section)
                || section.ValueKind != JsonValueKind.Object)
            {
                return values;
            }

            foreach (var setting in section.EnumerateObject())
            {
                values[ToConfigurationKey(setting.Name)] = setting.Value.ValueKind switch
                {
                    JsonValueKind.String => setting.Value.GetString(),
                    JsonValueKind.Null => null,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => setting.Value.GetRawText(),
                    _ => throw new InvalidDataException($"{path}: Values.{setting.Name} must be a string."),
                };
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        return values;
    }
}
