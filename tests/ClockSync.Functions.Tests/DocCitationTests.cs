using System.Text.RegularExpressions;

namespace ClockSync.Functions.Tests;

/// <summary>
/// The repository carries its own docs: every document a source file cites (<c>docs/….md</c>, with a section where one is
/// named) exists in the clone, and nothing cites a document that only lived beside the repository.
/// </summary>
public sealed partial class DocCitationTests
{
    private static readonly string[] Folders = ["src", "tests", "benchmarks", "infra-bicep"];

    private static readonly string[] Extensions = [".cs", ".bicep", ".sh", ".md", ".csproj", ".props"];

    [Fact]
    public void Every_cited_document_and_section_exists()
    {
        var missing = new List<string>();
        var cited = 0;
        foreach (var (file, line, text) in SourceLines())
        {
            foreach (Match citation in Citation().Matches(text))
            {
                cited++;
                var document = Path.Combine(RepositoryFiles.Root, citation.Groups["doc"].Value);
                if (!File.Exists(document))
                {
                    missing.Add($"{file}:{line} cites {citation.Groups["doc"].Value}, which does not exist");
                    continue;
                }

                if (citation.Groups["section"].Success && !File.ReadAllText(document).Contains("## §" + citation.Groups["section"].Value + " ", StringComparison.Ordinal))
                {
                    missing.Add($"{file}:{line} cites {citation.Value}, a section {citation.Groups["doc"].Value} does not have");
                }
            }
        }

        Assert.True(cited > 20, $"only {cited} citations found: is the scan looking in the right place?");
        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    [Fact]
    public void Nothing_cites_a_document_outside_the_repository()
    {
        var outside = SourceLines()
            .Where(entry => OutsideCitation().IsMatch(entry.Text))
            .Select(entry => $"{entry.File}:{entry.Line}: {entry.Text.Trim()}")
            .ToList();

        Assert.True(outside.Count == 0, string.Join('\n', outside));
    }

    private static IEnumerable<(string File, int Line, string Text)> SourceLines()
    {
        foreach (var folder in Folders)
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryFiles.Root, path);
                if (!Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase)
                    || relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules")
                    || path.EndsWith(nameof(DocCitationTests) + ".cs", StringComparison.Ordinal))
                {
                    continue;
                }

                var number = 0;
                foreach (var text in File.ReadLines(path))
                {
                    number++;
                    yield return (relative, number, text);
                }
            }
        }
    }

    [GeneratedRegex(@"(?<doc>docs/[\w-]+\.md)(?: §(?<section>\d+[a-z]?))?")]
    private static partial Regex Citation();

    // "contract §2" without the document, the old design/settings pages, or the folder beside the repository.
    [GeneratedRegex(@"(?<!docs/feishu-)contract §|(?<![/\w])(?:SETTINGS|DESIGN)\.md|shared/(?:DESIGN|feishu-contract|clock-formats)|(?<!docs/)(?:feishu-contract|clock-formats)\.md")]
    private static partial Regex OutsideCitation();
}
