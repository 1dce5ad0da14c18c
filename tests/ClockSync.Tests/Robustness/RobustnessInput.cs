namespace ClockSync.Tests.Robustness;

/// <summary>An input for the whole-path properties: where it came from, what was done to it, and its bytes.</summary>
internal sealed record RobustnessInput(string FileName, string Origin, IReadOnlyList<ExportMutation> Mutations, byte[] Content)
{
    public static RobustnessInput Mutated(SampleExport sample, IReadOnlyList<ExportMutation> mutations)
    {
        var content = sample.Content;
        foreach (var mutation in mutations)
        {
            content = mutation.Apply(content);
        }

        return new RobustnessInput(sample.FileName, sample.RelativePath, mutations, content);
    }

    /// <summary>What CsCheck prints on failure: enough to rebuild the input, never megabytes of it.</summary>
    public override string ToString()
    {
        var head = Convert.ToHexString(Content.AsSpan(0, Math.Min(48, Content.Length)));
        return $"{Origin} as {FileName} [{string.Join(", ", Mutations)}] → {Content.Length:N0} bytes, starting {head}";
    }
}

/// <summary>A shipped sample or test data file, the seed of the mutations.</summary>
internal sealed record SampleExport(string RelativePath, string FileName, byte[] Content)
{
    /// <summary>Every file under the test output's <c>samples</c> and <c>Data</c> folders (both copied from the repo).</summary>
    public static IReadOnlyList<SampleExport> All { get; } = Load();

    private static SampleExport[] Load()
    {
        var root = AppContext.BaseDirectory;
        return
        [
            .. new[] { "samples", "Data" }
                .Select(folder => Path.Combine(root, folder))
                .Where(Directory.Exists)
                .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                .Order(StringComparer.Ordinal)
                .Select(path => new SampleExport(Path.GetRelativePath(root, path), Path.GetFileName(path), File.ReadAllBytes(path))),
        ];
    }
}
