using System.Text.Json;
using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>What CI proves without Azure access: the template compiles and lints clean, and says what it will create.</summary>
[Collection(BicepGroup.Name)]
public sealed class BicepCliTests(BicepFixture bicep)
{
    [Fact]
    public void Main_template_builds_without_any_diagnostic()
    {
        Assert.True(bicep.Build.ExitCode == 0, bicep.Build.Transcript);
        Assert.True(bicep.Build.StandardError.Length == 0, bicep.Build.Transcript);
        Assert.True(bicep.Build.StandardOutput.Length == 0, bicep.Build.Transcript);
    }

    [Fact]
    public async Task Every_bicep_file_lints_without_any_finding()
    {
        // A pattern that matches nothing also exits 0; make sure it covers main.bicep and the modules.
        Assert.True(Directory.GetFiles(RepositoryLayout.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Length > 1);

        var lint = await bicep.Cli.RunAsync(["lint", "--pattern", "infra-bicep/**/*.bicep"], RepositoryLayout.Root);

        Assert.True(lint.ExitCode == 0, lint.Transcript);
        Assert.True(lint.StandardError.Length == 0, lint.Transcript);
        Assert.True(lint.StandardOutput.Length == 0, lint.Transcript);
    }

    public static TheoryData<string> ParameterFiles => new(RepositoryLayout.ParameterFiles.Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public async Task Parameter_file_lints_without_any_finding(string parameterFile)
    {
        var lint = await bicep.Cli.RunAsync(["lint", Path.Combine(RepositoryLayout.InfraDirectory, parameterFile)], RepositoryLayout.Root);

        Assert.True(lint.ExitCode == 0, lint.Transcript);
        Assert.True(lint.StandardError.Length == 0 && lint.StandardOutput.Length == 0, lint.Transcript);
    }

    [Fact]
    public async Task Linter_configuration_turns_a_finding_into_a_failing_exit_code()
    {
        // Proves the lint test above can fail: with the repository's bicepconfig.json an unused parameter is an error.
        var probe = Path.Combine(bicep.WorkDirectory, "probe.bicep");
        await File.WriteAllTextAsync(probe, "param unused string\n");

        var lint = await bicep.Cli.RunAsync(["lint", probe, "--config", RepositoryLayout.BicepConfig], bicep.WorkDirectory);

        Assert.NotEqual(0, lint.ExitCode);
        Assert.Contains("Error no-unused-params", lint.StandardError + lint.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("secure-parameter-default")]
    [InlineData("secure-secrets-in-params")]
    [InlineData("use-secure-value-for-secure-inputs")]
    [InlineData("no-hardcoded-env-urls")]
    [InlineData("no-hardcoded-location")]
    [InlineData("use-stable-resource-identifiers")]
    [InlineData("what-if-short-circuiting")]
    public void Security_and_determinism_linter_rules_are_errors(string rule)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.BicepConfig));

        var level = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules")
            .GetProperty(rule).GetProperty("level").GetString();

        Assert.Equal("error", level);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public async Task Committed_snapshot_matches_what_the_template_would_deploy(string parameterFile)
    {
        // If this fails after an intended change: run infra-bicep/snapshot.sh, review the diff of the *.snapshot.json
        // files, commit them.
        var validate = await bicep.Cli.RunAsync(
            ["snapshot", Path.Combine(RepositoryLayout.InfraDirectory, parameterFile), "--mode", "validate", .. SnapshotScope.Committed.CliOptions],
            RepositoryLayout.Root);

        Assert.True(validate.ExitCode == 0, validate.Transcript);
    }

    [Theory]
    [InlineData("feishuAppId")]
    [InlineData("feishuAppSecret")]
    public void Feishu_secrets_are_secure_parameters_that_default_to_empty(string parameter)
    {
        var declaration = bicep.CompiledTemplate.GetProperty("parameters").GetProperty(parameter);

        Assert.Equal("securestring", declaration.GetProperty("type").GetString());
        Assert.Equal(string.Empty, declaration.GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void No_template_output_reads_keys_or_secure_parameters()
    {
        var outputs = bicep.CompiledTemplate.GetProperty("outputs").GetRawText();

        Assert.DoesNotContain("listKeys", outputs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("feishuApp", outputs, StringComparison.Ordinal);
    }
}
