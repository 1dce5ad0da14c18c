using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>
/// infra-bicep/deploy.sh against a stand-in az: preflight names each thing to fix, the infra step stops before
/// deploying when a resource provider is missing, the operator's principal type follows the signed-in account, and
/// every wait on Azure ends within its bound.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private const string ResourceGroup = "rg-test";

    private readonly DeployScript _script = new();

    public void Dispose() => _script.Dispose();

    [Fact]
    public async Task Preflight_passes_when_everything_is_in_place()
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup]);

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.DoesNotContain("FIX:", run.Output, StringComparison.Ordinal);
        Assert.Contains("ready to deploy", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preflight_names_each_unregistered_provider_with_the_command_that_registers_it()
    {
        var run = await _script.RunAsync(
            ["preflight", ResourceGroup],
            new Dictionary<string, string> { ["STUB_UNREGISTERED"] = "Microsoft.EventGrid Microsoft.App" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("az provider register --namespace Microsoft.EventGrid", run.Output, StringComparison.Ordinal);
        Assert.Contains("az provider register --namespace Microsoft.App", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--namespace Microsoft.Web\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 thing(s) to fix", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.Web")]
    [InlineData("Microsoft.App")]
    [InlineData("Microsoft.Storage")]
    [InlineData("Microsoft.KeyVault")]
    [InlineData("Microsoft.ManagedIdentity")]
    [InlineData("Microsoft.Insights")]
    [InlineData("Microsoft.OperationalInsights")]
    [InlineData("Microsoft.EventGrid")]
    public async Task Preflight_checks_the_provider(string provider)
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup]);

        Assert.Contains($"provider show --namespace {provider} --query registrationState --output tsv", run.AzCalls);
    }

    [Fact]
    public async Task Preflight_only_warns_when_the_registrations_cannot_be_read()
    {
        // A pipeline identity with rights on the resource group alone may not read the subscription's providers.
        var run = await _script.RunAsync(["preflight", ResourceGroup], new Dictionary<string, string> { ["STUB_PROVIDERS_UNREADABLE"] = "true" });

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Contains("warn: could not read whether Microsoft.EventGrid is registered", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_checks_the_network_provider_only_for_a_private_deployment()
    {
        var open = await _script.RunAsync(["preflight", ResourceGroup]);
        var closed = await _script.RunAsync(["preflight", ResourceGroup, "publicNetworkAccess=Disabled"]);

        Assert.DoesNotContain(open.AzCalls, call => call.Contains("Microsoft.Network", StringComparison.Ordinal));
        Assert.Contains(closed.AzCalls, call => call.Contains("--namespace Microsoft.Network", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preflight_refuses_an_az_older_than_the_stated_minimum()
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup], new Dictionary<string, string> { ["STUB_AZ_VERSION"] = "2.60.0" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FIX: az 2.60.0 is older than 2.61.0", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_says_a_contributor_also_needs_to_create_role_assignments()
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup], new Dictionary<string, string> { ["STUB_ROLES"] = "Contributor;Reader" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FIX: you need Role Based Access Control Administrator (or Owner) on rg-test", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("you need Contributor", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_only_warns_when_the_roles_cannot_be_read()
    {
        // A pipeline identity without Microsoft Graph access cannot expand group memberships.
        var run = await _script.RunAsync(["preflight", ResourceGroup], new Dictionary<string, string> { ["STUB_ROLES_UNREADABLE"] = "true" });

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Contains("warn: could not list your role assignments on rg-test", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_accepts_contributor_with_rbac_administrator()
    {
        var run = await _script.RunAsync(
            ["preflight", ResourceGroup],
            new Dictionary<string, string> { ["STUB_ROLES"] = "Contributor;Role Based Access Control Administrator" });

        Assert.True(run.ExitCode == 0, run.Transcript);
    }

    [Fact]
    public async Task Preflight_flags_a_region_without_flex_consumption()
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup], new Dictionary<string, string> { ["STUB_LOCATION"] = "westindia" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FIX: westindia does not offer Flex Consumption", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_flags_a_memory_size_the_region_does_not_offer()
    {
        var run = await _script.RunAsync(
            ["preflight", ResourceGroup, "instanceMemoryMB=4096"],
            new Dictionary<string, string> { ["STUB_RUNTIMES"] = "[{\"version\": \"10.0\", \"sku\": {\"instanceMemoryMB\": [{\"size\": 512}, {\"size\": 2048}]}}]" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not offer 4096 MB instances", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_flags_a_maximum_instance_count_below_40()
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup, "maximumInstanceCount=10"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("maximumInstanceCount = 10", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_stops_at_a_missing_sign_in()
    {
        var run = await _script.RunAsync(["preflight", ResourceGroup], new Dictionary<string, string> { ["STUB_SIGNED_IN"] = "false" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FIX: not signed in: run az login", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infra_stops_before_deploying_when_a_provider_is_missing()
    {
        var run = await _script.RunAsync(["infra", ResourceGroup], new Dictionary<string, string> { ["STUB_UNREGISTERED"] = "Microsoft.EventGrid" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("az provider register --namespace Microsoft.EventGrid", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Infra_deploys_without_the_event_grid_subscription()
    {
        var run = await _script.RunAsync(["infra", ResourceGroup]);

        Assert.True(run.ExitCode == 0, run.Transcript);
        var create = Assert.Single(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.Contains(" subscribeBlobEvents=false", create, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("servicePrincipal", "ServicePrincipal")]
    [InlineData("user", "User")]
    public async Task Operator_principal_type_follows_the_signed_in_account(string accountType, string principalType)
    {
        var run = await _script.RunAsync(
            ["infra", ResourceGroup, "deployerPrincipalId=55555555-5555-5555-5555-555555555555"],
            new Dictionary<string, string> { ["STUB_USER_TYPE"] = accountType });

        var create = Assert.Single(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.EndsWith($"deployerPrincipalType={principalType} --output none", create, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_operator_principal_type_is_kept()
    {
        var run = await _script.RunAsync(
            ["infra", ResourceGroup, "deployerPrincipalId=55555555-5555-5555-5555-555555555555", "deployerPrincipalType=Group"],
            new Dictionary<string, string> { ["STUB_USER_TYPE"] = "servicePrincipal" });

        var create = Assert.Single(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.Contains("deployerPrincipalType=Group", create, StringComparison.Ordinal);
        Assert.DoesNotContain("deployerPrincipalType=ServicePrincipal", create, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_deployment_is_cut_at_its_bound_with_the_commands_to_follow_it()
    {
        var run = await _script.RunAsync(
            ["infra", ResourceGroup],
            new Dictionary<string, string> { ["STUB_HANG"] = "deploy", ["CLOCKSYNC_DEPLOY_TIMEOUT"] = "1" });

        Assert.Equal(124, run.ExitCode);
        Assert.Contains("did not finish within 1s", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("az deployment group cancel -g rg-test -n clocksync-infra", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_upload_that_never_returns_is_cut_at_its_bound()
    {
        // The az releases that poll the Flex host forever: the code step gives up instead of hanging the pipeline.
        var run = await _script.RunAsync(
            ["code", ResourceGroup],
            new Dictionary<string, string> { ["STUB_HANG"] = "code", ["CLOCKSYNC_CODE_TIMEOUT"] = "1", ["CLOCKSYNC_PACKAGE"] = _script.Package });

        Assert.Equal(124, run.ExitCode);
        Assert.Contains("az did not return within 1s", run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"deploy.sh code {ResourceGroup}", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_step_gives_up_when_the_host_key_never_appears()
    {
        var run = await _script.RunAsync(
            ["events", ResourceGroup],
            new Dictionary<string, string> { ["STUB_KEY_PRESENT"] = "false", ["CLOCKSYNC_KEY_WAIT"] = "2", ["CLOCKSYNC_POLL_SECONDS"] = "1" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("was not created within 2s", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.InRange(run.AzCalls.Count(call => call.StartsWith("functionapp keys list", StringComparison.Ordinal)), 1, 3);
    }

    [Fact]
    public async Task The_events_step_subscribes_once_the_key_exists()
    {
        var run = await _script.RunAsync(["events", ResourceGroup]);

        Assert.True(run.ExitCode == 0, run.Transcript);
        var create = Assert.Single(run.AzCalls, call => call.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.Contains("--name clocksync-events", create, StringComparison.Ordinal);
        Assert.Contains(" subscribeBlobEvents=true", create, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_step_tries_the_subscription_again_while_time_is_left()
    {
        // Event Grid's validation handshake can miss a host that went cold: a failed subscription deployment is retried.
        var run = await _script.RunAsync(
            ["events", ResourceGroup],
            new Dictionary<string, string> { ["STUB_DEPLOY_EXIT"] = "1", ["CLOCKSYNC_KEY_WAIT"] = "3", ["CLOCKSYNC_POLL_SECONDS"] = "1" });

        Assert.Equal(1, run.ExitCode);
        Assert.True(run.AzCalls.Count(call => call.StartsWith("deployment group create", StringComparison.Ordinal)) >= 2, run.Transcript);
    }

    [Fact]
    public async Task Every_az_call_in_the_script_is_bounded()
    {
        var script = await File.ReadAllLinesAsync(RepositoryLayout.DeployScript);

        // A command starting with az would wait as long as az does; every call goes through az_read or `timeout ... az`.
        var unbounded = script
            .Select((line, index) => (line: line.Trim(), number: index + 1))
            .Where(entry => !entry.line.StartsWith('#'))
            .Where(entry => System.Text.RegularExpressions.Regex.IsMatch(entry.line, @"(^|[;|&]\s*|\$\()az "))
            .ToList();

        Assert.True(unbounded.Count == 0, "unbounded az calls:\n" + string.Join('\n', unbounded.Select(entry => $"{entry.number}: {entry.line}")));
    }
}
