using System.Globalization;
using System.Text.RegularExpressions;
using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// The deploy workflow runs pinned code and cannot hang: every action is pinned to a commit with its tag beside it,
/// every job and Azure step has a timeout, and each deploy.sh step's timeout leaves room for the script's own bound
/// to end the wait first (with its message).
/// </summary>
public sealed partial class WorkflowTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepositoryLayout.DeployWorkflow);

    public static TheoryData<string> Actions => new(Lines.Where(line => UsesLine().IsMatch(line)).Select(line => line.Trim()).Distinct(StringComparer.Ordinal));

    [Fact]
    public void The_workflow_uses_actions() => Assert.True(Actions.Count >= 6, $"only {Actions.Count} uses: lines found");

    [Theory]
    [MemberData(nameof(Actions))]
    public void Action_is_pinned_to_a_commit_with_its_tag_in_a_comment(string line) =>
        Assert.Matches(PinnedAction(), line);

    [Fact]
    public void Every_job_has_a_timeout()
    {
        var jobsStart = Array.IndexOf(Lines, "jobs:");
        var jobs = Lines.Select((line, index) => (line, index))
            .Where(entry => entry.index > jobsStart && JobHeader().IsMatch(entry.line))
            .ToList();

        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, job =>
        {
            var body = Lines.Skip(job.index + 1).TakeWhile(line => !JobHeader().IsMatch(line) && !line.StartsWith("      - ", StringComparison.Ordinal));
            Assert.Contains(body, line => line.StartsWith("    timeout-minutes: ", StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData("preflight", 0)]
    [InlineData("infra", 1800)]
    [InlineData("code", 900)]
    [InlineData("events", 900 + 1800)]
    public void Deploy_step_has_a_timeout_beyond_the_script_bound(string step, int scriptBoundSeconds)
    {
        // events: the key wait, plus one subscription deployment started just before the wait ends.
        var run = Array.FindIndex(Lines, line => line.Trim() == $"run: infra-bicep/deploy.sh {step} \"$RESOURCE_GROUP\"");
        Assert.True(run > 0, $"no step runs deploy.sh {step}");

        var timeout = Lines[..run].Reverse().TakeWhile(line => !line.TrimStart().StartsWith("- ", StringComparison.Ordinal))
            .Select(line => StepTimeout().Match(line)).Single(match => match.Success);

        var minutes = int.Parse(timeout.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(minutes * 60 > scriptBoundSeconds, $"deploy.sh {step}: {minutes} min does not outlast the script's {scriptBoundSeconds} s");
    }

    [Fact]
    public void The_script_defaults_the_workflow_relies_on_are_unchanged()
    {
        var script = File.ReadAllText(RepositoryLayout.DeployScript);

        Assert.Contains("CLOCKSYNC_DEPLOY_TIMEOUT:-1800", script, StringComparison.Ordinal);
        Assert.Contains("CLOCKSYNC_CODE_TIMEOUT:-900", script, StringComparison.Ordinal);
        Assert.Contains("CLOCKSYNC_KEY_WAIT:-900", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Preflight_runs_before_the_infrastructure_is_deployed()
    {
        var preflight = Array.FindIndex(Lines, line => line.Contains("deploy.sh preflight", StringComparison.Ordinal));
        var infra = Array.FindIndex(Lines, line => line.Contains("deploy.sh infra", StringComparison.Ordinal));

        Assert.InRange(preflight, 1, infra - 1);
    }

    [GeneratedRegex(@"^\s*(- )?uses: ")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^  [a-z-]+:\s*$")]
    private static partial Regex JobHeader();

    [GeneratedRegex(@"^\s+timeout-minutes: (\d+)\s*$")]
    private static partial Regex StepTimeout();
}
