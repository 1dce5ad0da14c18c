namespace ClockSync.Cli.Emulators;

/// <summary>Finds the repository checkout that holds <c>package.json</c>, from which the local tools are run.</summary>
internal static class RepositoryLayout
{
    /// <summary>Walks up from <paramref name="start"/> to the first folder with a <c>package.json</c> that names azurite.</summary>
    public static string? FindToolsRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var manifest = Path.Combine(dir.FullName, "package.json");
            if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"azurite\"", StringComparison.Ordinal))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
