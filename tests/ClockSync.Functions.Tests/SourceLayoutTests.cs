using System.Text.RegularExpressions;

namespace ClockSync.Functions.Tests;

/// <summary>
/// A reader finds a type by its file name, and a file short enough to read (docs/architecture.md, conventions): every
/// .cs file under src/ declares a type named like the file, and no file is longer than <see cref="MaxLines"/> lines
/// unless its first lines say why (<c>// Long because: …</c>). Plain awaits: no analyzer forbids ConfigureAwait, so
/// this class does, for every .cs file of the repository.
/// </summary>
public sealed partial class SourceLayoutTests
{
    private const int MaxLines = 400;
    private const int HeaderLines = 10;
    private const string LongReason = "// Long because:";

    private static string SourceRoot => Path.Combine(RepositoryFiles.Root, "src");

    public static TheoryData<string> SourceFiles => new(
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(SourceRoot, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void The_file_declares_a_type_named_like_it(string file)
    {
        var text = File.ReadAllText(Path.Combine(SourceRoot, file));
        var declared = Declaration().Matches(text).Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        // Program.cs holds top-level statements: the entry point, named by convention rather than by a type.
        if (Path.GetFileName(file) == "Program.cs" && declared.Count == 0)
        {
            return;
        }

        Assert.True(
            declared.Contains(ExpectedTypeName(file)),
            $"{file} declares {string.Join(", ", declared)} but no {ExpectedTypeName(file)}: name the file for its type, or move the others out.");
    }

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void The_file_is_short_or_says_why_it_is_long(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(SourceRoot, file));
        var saysWhy = lines.Take(HeaderLines).Any(line => line.TrimStart().StartsWith(LongReason, StringComparison.Ordinal));
        var tooLong = lines.Length > MaxLines && !saysWhy;

        Assert.False(tooLong, $"{file} has {lines.Length} lines (over {MaxLines}): split it, or say why in a '{LongReason}' line at its top.");
    }

    [Fact]
    public void Code_awaits_without_ConfigureAwait()
    {
        var offenders = new[] { "src", "tests", "benchmarks" }
            .SelectMany(top => Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, top), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj"))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, number: index + 1)))
            .Where(candidate => ConfigureAwaitCall().IsMatch(candidate.line))
            .Select(candidate => $"{Path.GetRelativePath(RepositoryFiles.Root, candidate.path)}:{candidate.number}")
            .ToList();

        Assert.True(offenders.Count == 0, $"ConfigureAwait in {string.Join(", ", offenders)}: nothing here runs under a synchronisation context, so write a plain await.");
    }

    [Theory]
    [InlineData("ClockSync/Storage/Ledger/ImportLedger.cs", "ImportLedger")]
    [InlineData("ClockSync/Exports/DelimitedScannerOfT.Bytes.cs", "DelimitedScanner")]
    [InlineData("ClockSync.Cli/Configuration/LocalSettings.cs", "LocalSettings")]
    public void Partial_and_generic_files_are_named_for_their_type(string file, string expected) =>
        Assert.Equal(expected, ExpectedTypeName(file));

    /// <summary><c>X.cs</c> and the partial part <c>X.Part.cs</c> hold X; <c>XOfT.cs</c> holds the generic X&lt;T&gt;.</summary>
    private static string ExpectedTypeName(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file).Split('.')[0];
        return name.EndsWith("OfT", StringComparison.Ordinal) ? name[..^"OfT".Length] : name;
    }

    [GeneratedRegex(
        @"^[ \t]*(?:(?:public|internal|private|protected|file|static|sealed|abstract|partial|readonly|ref|unsafe|new)\s+)*(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)\s+(?<name>\w+)",
        RegexOptions.Multiline)]
    private static partial Regex Declaration();

    // Built so that this file does not match itself.
    [GeneratedRegex(@"\.Configure" + "Await\\(")]
    private static partial Regex ConfigureAwaitCall();
}
