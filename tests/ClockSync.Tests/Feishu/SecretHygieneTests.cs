using System.Text.RegularExpressions;
using ClockSync.FeishuSandbox;
using ClockSync.Tests.Secrets;

namespace ClockSync.Tests.Feishu;

public sealed partial class SecretHygieneTests
{
    [Fact]
    public async Task Logs_never_contain_the_app_secret_or_a_tenant_token()
    {
        var credentials = new SwitchableCredentialSource(FeishuClientHarness.AppId, "wrong-secret-value", FeishuClientHarness.AppSecret);
        await using var harness = await FeishuClientHarness.StartAsync(
            new SandboxSettings { KnownUsers = SandboxUsers.Same("u1", "u2") },
            credentials: credentials);
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Throttle(TimeSpan.FromMilliseconds(10)));
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.DropConnection());

        // Token refused then re-read, a 429, a dropped connection, a revoked token, a partial failure and a query.
        await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);
        await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);
        harness.Sandbox.Tenant.RevokeTokens();
        await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(["u1", "ghost"]), CancellationToken.None);
        await harness.Client.QueryFlowsAsync(["u1"], FeishuClientHarness.BaseCheckTime, FeishuClientHarness.BaseCheckTime + 60, true, CancellationToken.None);

        var lines = harness.Logs.Lines;
        Assert.Contains(lines, line => line.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("tenant token", StringComparison.Ordinal));
        // Request headers are logged at Trace, with their values redacted.
        Assert.Contains(lines, line => line.Contains("Authorization: *", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(FeishuClientHarness.AppSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("wrong-secret-value", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => TokenPattern().IsMatch(line));
        Assert.Equal(2, harness.Sandbox.Tenant.TokensIssued);
    }

    // The sandbox's tokens look like Feishu's: "t-" and hex.
    [GeneratedRegex("t-[0-9a-f]{20,}")]
    private static partial Regex TokenPattern();
}
