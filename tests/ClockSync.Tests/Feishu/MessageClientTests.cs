using System.Text.Json.Nodes;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Messages;
using ClockSync.FeishuSandbox;

namespace ClockSync.Tests.Feishu;

/// <summary>The card client against the sandbox: the card travels as a JSON string, the send counts as a call, and
/// whatever Feishu answers comes back as an outcome, never an exception.</summary>
public sealed class MessageClientTests
{
    private static readonly FeishuReceiver Chat = new("chat_id", SandboxMessaging.DefaultChatId);

    private static JsonObject Card() => new()
    {
        ["header"] = new JsonObject { ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = "Imported: a.dat" }, ["template"] = "green" },
        ["elements"] = new JsonArray(new JsonObject { ["tag"] = "hr" }),
    };

    [Fact]
    public async Task A_card_is_sent_as_an_interactive_message_and_counted_as_a_call()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        var outcome = await harness.Messages.SendCardAsync(Chat, Card(), "import-1", CancellationToken.None);

        Assert.True(outcome.Sent);
        var stored = Assert.Single(harness.Sandbox.Messages.Snapshot());
        Assert.Equal(outcome.MessageId, stored.MessageId);
        Assert.Equal(("interactive", "import-1"), (stored.MsgType, stored.Uuid));
        Assert.Equal("Imported: a.dat", stored.Content.GetProperty("header").GetProperty("title").GetProperty("content").GetString());
        Assert.Equal(1, harness.Calls(FeishuCallKind.Message));
    }

    [Fact]
    public async Task A_refused_send_comes_back_as_an_error_with_the_code_and_log_id()
    {
        await using var harness = await FeishuClientHarness.StartAsync(new SandboxSettings
        {
            Messaging = new SandboxMessaging { Chats = new Dictionary<string, bool>(StringComparer.Ordinal) { ["oc_x"] = false } },
        });

        var outcome = await harness.Messages.SendCardAsync(new FeishuReceiver("chat_id", "oc_x"), Card(), null, CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.Equal(230002, outcome.Error!.Code);
        Assert.False(string.IsNullOrEmpty(outcome.Error.LogId));
        Assert.Equal(1, harness.Calls(FeishuCallKind.Message));
    }

    [Fact]
    public async Task A_server_error_is_an_outcome_not_an_exception()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.ServerError(), SandboxEndpoints.Messages);

        var outcome = await harness.Messages.SendCardAsync(Chat, Card(), null, CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.Equal(0, harness.Sandbox.Messages.Count);
    }

    [Fact]
    public async Task A_revoked_token_is_fetched_again_once()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        Assert.True((await harness.Messages.SendCardAsync(Chat, Card(), "a", CancellationToken.None)).Sent);
        harness.Sandbox.Tenant.RevokeTokens();

        var outcome = await harness.Messages.SendCardAsync(Chat, Card(), "b", CancellationToken.None);

        Assert.True(outcome.Sent);
        Assert.Equal(2, harness.Sandbox.Messages.Count);
    }

    [Theory]
    [InlineData("chat", "oc_1", null)]
    [InlineData("chat_id", " ", null)]
    [InlineData("chat_id", "oc_1", "this-uuid-is-far-longer-than-the-fifty-characters-feishu-allows")]
    public async Task A_request_feishu_would_refuse_is_a_programming_error(string type, string id, string? uuid)
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Messages.SendCardAsync(new FeishuReceiver(type, id), Card(), uuid, CancellationToken.None));
    }
}
