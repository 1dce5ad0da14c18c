using System.Net;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §1: tenant token issue, reuse, renewal, expiry and the credential errors.</summary>
public sealed class TokenEndpointTests
{
    [Fact]
    public async Task Issues_a_token_with_top_level_fields_and_full_lifetime()
    {
        await using var sandbox = await StartAsync();

        using var response = await sandbox.RequestTokenAsync();
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        Assert.StartsWith("t-", body["tenant_access_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(7200, body["expire"]!.GetValue<int>());
        Assert.Null(body["data"]);
        Assert.NotEmpty(LogIdHeader(response));
    }

    [Fact]
    public async Task Returns_the_same_token_with_less_expire_while_more_than_30_minutes_remain()
    {
        await using var sandbox = await StartAsync();
        var first = await sandbox.TokenAsync();

        sandbox.Time.Advance(TimeSpan.FromMinutes(89));
        using var response = await sandbox.RequestTokenAsync();
        var body = await BodyAsync(response);

        Assert.Equal(first, body["tenant_access_token"]!.GetValue<string>());
        Assert.Equal(7200 - (89 * 60), body["expire"]!.GetValue<int>());
        Assert.Equal(1, sandbox.Server.Tenant.TokensIssued);
    }

    [Fact]
    public async Task Issues_a_new_token_with_less_than_30_minutes_left_and_the_old_one_stays_valid_until_it_expires()
    {
        await using var sandbox = await StartAsync();
        var old = await sandbox.TokenAsync();

        sandbox.Time.Advance(TimeSpan.FromMinutes(91));
        using var response = await sandbox.RequestTokenAsync();
        var body = await BodyAsync(response);
        var renewed = body["tenant_access_token"]!.GetValue<string>();

        Assert.NotEqual(old, renewed);
        Assert.Equal(7200, body["expire"]!.GetValue<int>());
        using (var withOld = await sandbox.BatchCreateAsync(old, Records(Flow("u7"))))
        {
            Assert.Equal(0, Code(await BodyAsync(withOld)));
        }

        sandbox.Time.Advance(TimeSpan.FromMinutes(29));
        using var afterExpiry = await sandbox.BatchCreateAsync(old, Records(Flow("u7", idempotentId: "k2")));
        Assert.Equal(99991663, Code(await BodyAsync(afterExpiry)));
        using var withNew = await sandbox.BatchCreateAsync(renewed, Records(Flow("u7", idempotentId: "k3")));
        Assert.Equal(0, Code(await BodyAsync(withNew)));
    }

    [Fact]
    public async Task An_expired_token_is_rejected_with_99991663()
    {
        await using var sandbox = await StartAsync(s => s with { TokenLifetime = TimeSpan.FromMinutes(10) });
        var token = await sandbox.TokenAsync();

        sandbox.Time.Advance(TimeSpan.FromMinutes(10));
        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991663, Code(body));
        Assert.Equal(LogIdHeader(response), body["error"]!["log_id"]!.GetValue<string>());
        Assert.Equal(0, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task A_lifetime_shorter_than_the_reuse_window_gives_a_new_token_on_every_request()
    {
        await using var sandbox = await StartAsync(s => s with { TokenLifetime = TimeSpan.FromMinutes(20) });

        var first = await sandbox.TokenAsync();
        var second = await sandbox.TokenAsync();

        Assert.NotEqual(first, second);
        Assert.Equal(2, sandbox.Server.Tenant.TokensIssued);
    }

    [Fact]
    public async Task Revoked_tokens_are_rejected_and_the_next_request_issues_a_new_one()
    {
        await using var sandbox = await StartAsync();
        var revoked = await sandbox.TokenAsync();

        sandbox.Server.Tenant.RevokeTokens();
        using var rejected = await sandbox.BatchCreateAsync(revoked, Records(Flow("u7")));
        var fresh = await sandbox.TokenAsync();
        using var accepted = await sandbox.BatchCreateAsync(fresh, Records(Flow("u7")));

        Assert.Equal(99991663, Code(await BodyAsync(rejected)));
        Assert.NotEqual(revoked, fresh);
        Assert.Equal(0, Code(await BodyAsync(accepted)));
    }

    [Theory]
    [InlineData("cli_unknown", AppSecret, 10003)]
    [InlineData(AppId, "wrong-secret", 10014)]
    [InlineData("", AppSecret, 10003)]
    [InlineData(AppId, "", 10003)]
    public async Task Wrong_credentials_answer_the_contract_codes(string appId, string appSecret, int expectedCode)
    {
        await using var sandbox = await StartAsync();

        using var response = await sandbox.RequestTokenAsync(appId, appSecret);
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expectedCode, Code(body));
        Assert.Null(body["tenant_access_token"]);
        Assert.Equal(0, sandbox.Server.Tenant.TokensIssued);
    }

    [Fact]
    public async Task A_body_that_is_not_a_json_object_answers_10003()
    {
        await using var sandbox = await StartAsync();

        using var response = await sandbox.PostAsync(TokenPath, JsonValue.Create("app_id=cli_test")!, token: null);

        Assert.Equal(10003, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task A_rotated_secret_is_required_for_new_tokens_and_old_tokens_stay_valid()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        sandbox.Server.Tenant.SetApp(AppId, "rotated-secret");
        using var withOldSecret = await sandbox.RequestTokenAsync();
        using var stillValid = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));

        Assert.Equal(10014, Code(await BodyAsync(withOldSecret)));
        Assert.Equal(0, Code(await BodyAsync(stillValid)));
        Assert.StartsWith("t-", await sandbox.TokenAsync(AppId, "rotated-secret"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_can_come_with_http_200()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { ErrorStatus = ErrorStatusStyle.AlwaysHttp200 } });

        using var response = await sandbox.RequestTokenAsync(AppId, "wrong-secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10014, Code(await BodyAsync(response)));
    }
}
