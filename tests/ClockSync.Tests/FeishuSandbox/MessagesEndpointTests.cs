using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §4c: <c>im/v1/messages</c> with its validation answers, the 5-a-second limit per chat, <c>uuid</c>
/// de-duplication for an hour, and the messages readable like the ledger.</summary>
public sealed class MessagesEndpointTests
{
    private const string MessagesPath = "open-apis/im/v1/messages";
    private const string Chat = "oc_ops";
    private const string ChatWithoutBot = "oc_no_bot";

    private static Task<SandboxHarness> StartAsync() => SandboxHarness.StartAsync(settings => settings with
    {
        Messaging = new SandboxMessaging
        {
            Chats = new Dictionary<string, bool>(StringComparer.Ordinal) { [Chat] = true, ["oc_other"] = true, [ChatWithoutBot] = false },
        },
    });

    private static JsonObject Card(string title = "Imported: 1_attlog.dat") => new()
    {
        ["header"] = new JsonObject { ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = title }, ["template"] = "green" },
        ["elements"] = new JsonArray(new JsonObject { ["tag"] = "div", ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = "**Lines** 3" } }),
    };

    private static JsonObject Message(string receiveId = Chat, JsonNode? content = null, string? uuid = null, string msgType = "interactive")
    {
        var body = new JsonObject { ["receive_id"] = receiveId, ["msg_type"] = msgType, ["content"] = content ?? Card().ToJsonString() };
        if (uuid is not null)
        {
            body["uuid"] = uuid;
        }

        return body;
    }

    private static Task<HttpResponseMessage> SendAsync(SandboxHarness sandbox, string? token, JsonObject body, string? receiveIdType = "chat_id") =>
        sandbox.PostAsync(MessagesPath + (receiveIdType is null ? "" : "?receive_id_type=" + receiveIdType), body, token);

    [Fact]
    public async Task A_card_to_a_chat_with_the_bot_is_stored_parsed_and_answered_with_a_message_id()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(uuid: "import-1"));
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        var stored = Assert.Single(sandbox.Server.Messages.Snapshot());
        Assert.Equal(body["data"]!["message_id"]!.GetValue<string>(), stored.MessageId);
        Assert.StartsWith("om_", stored.MessageId, StringComparison.Ordinal);
        Assert.Equal(("chat_id", Chat, "interactive", "import-1", AppId), (stored.ReceiveIdType, stored.ReceiveId, stored.MsgType, stored.Uuid, stored.AppId));
        Assert.Equal("Imported: 1_attlog.dat", stored.Content.GetProperty("header").GetProperty("title").GetProperty("content").GetString());
        Assert.Equal(SandboxEndpoints.Messages, sandbox.Server.Requests.Snapshot()[^1].Endpoint);
    }

    [Fact]
    public async Task The_messages_are_listed_over_http_with_the_parsed_card()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using (await SendAsync(sandbox, token, Message(uuid: "import-2")))
        {
        }

        var listed = JsonNode.Parse(await sandbox.Http.GetStringAsync("_sandbox/messages", Guard))!.AsArray();

        var message = Assert.Single(listed)!;
        Assert.Equal(Chat, message["receiveId"]!.GetValue<string>());
        Assert.Equal("chat_id", message["receiveIdType"]!.GetValue<string>());
        Assert.Equal("green", message["content"]!["header"]!["template"]!.GetValue<string>());
    }

    public static TheoryData<string?, string> BadReceiveIdTypes => new() { { null, "missing" }, { "chat", "unknown" }, { "CHAT_ID", "wrong case" } };

    [Theory]
    [MemberData(nameof(BadReceiveIdTypes))]
    public async Task A_missing_or_unknown_receive_id_type_fails_field_validation(string? receiveIdType, string why)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(), receiveIdType);
        var body = await BodyAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal(99992402, Code(body));
        Assert.Contains("receive_id_type", Msg(body), StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Server.Messages.Count);
    }

    [Fact]
    public async Task A_missing_receiver_fails_field_validation()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var body = Message();
        body.Remove("receive_id");

        using var response = await SendAsync(sandbox, token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99992402, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task Content_sent_as_a_json_object_instead_of_a_string_fails_field_validation()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(content: Card()));
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99992402, Code(body));
        Assert.Contains("content", Msg(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"header\": ")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public async Task Content_that_is_not_a_json_object_string_is_invalid_message_content(string content)
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(content: content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230001, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task A_card_without_elements_cannot_be_built()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(content: "{\"header\": {}}"));

        Assert.Equal(230099, Code(await BodyAsync(response)));
    }

    [Fact]
    public async Task A_chat_the_tenant_does_not_have_is_an_invalid_receiver()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(receiveId: "oc_nowhere"));
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230001, Code(body));
        Assert.Contains("receive_id", Msg(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_the_bot_is_not_in_is_refused_with_230002()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await SendAsync(sandbox, token, Message(receiveId: ChatWithoutBot));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230002, Code(await BodyAsync(response)));
        Assert.Equal(0, sandbox.Server.Messages.Count);
    }

    [Fact]
    public async Task Users_are_receivers_by_their_ids_and_addresses()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        var codes = new List<int>();
        foreach (var (type, id) in new[] { ("user_id", "u7"), ("user_id", "nobody"), ("open_id", "ou_123"), ("email", "ops@example.com"), ("email", "ops") })
        {
            using var response = await SendAsync(sandbox, token, Message(receiveId: id), type);
            codes.Add(Code(await BodyAsync(response)));
        }

        Assert.Equal([0, 230001, 0, 0, 230001], codes);
    }

    [Fact]
    public async Task The_sixth_message_to_one_chat_in_a_second_hits_the_chat_limit_while_other_chats_go_through()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        var codes = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await SendAsync(sandbox, token, Message(uuid: $"m-{i}"));
            codes.Add(Code(await BodyAsync(response)));
        }

        using var throttled = await SendAsync(sandbox, token, Message(uuid: "m-6"));
        using var otherChat = await SendAsync(sandbox, token, Message(receiveId: "oc_other", uuid: "m-7"));
        sandbox.Time.Advance(TimeSpan.FromMilliseconds(200));
        using var refilled = await SendAsync(sandbox, token, Message(uuid: "m-8"));

        Assert.Equal([0, 0, 0, 0, 0, 230020], codes);
        Assert.Equal(HttpStatusCode.BadRequest, throttled.StatusCode);
        Assert.Equal(230020, Code(await BodyAsync(throttled)));
        Assert.Equal(0, Code(await BodyAsync(otherChat)));
        Assert.Equal(0, Code(await BodyAsync(refilled)));
        Assert.Equal(7, sandbox.Server.Messages.Count);
    }

    [Fact]
    public async Task A_uuid_sent_again_within_an_hour_answers_the_first_message_and_stores_nothing()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var first = await SendAsync(sandbox, token, Message(uuid: "import-3"));
        using var again = await SendAsync(sandbox, token, Message(uuid: "import-3"));
        sandbox.Time.Advance(TimeSpan.FromHours(1));
        using var anHourLater = await SendAsync(sandbox, token, Message(uuid: "import-3"));

        var firstId = MessageId(await BodyAsync(first));
        Assert.Equal(firstId, MessageId(await BodyAsync(again)));
        Assert.NotEqual(firstId, MessageId(await BodyAsync(anHourLater)));
        Assert.Equal(2, sandbox.Server.Messages.Count);
    }

    [Fact]
    public async Task A_send_without_a_token_is_refused_like_every_open_api_call()
    {
        await using var sandbox = await StartAsync();

        using var response = await SendAsync(sandbox, token: null, Message());

        Assert.Equal(99991661, Code(await BodyAsync(response)));
        Assert.Equal(0, sandbox.Server.Messages.Count);
    }

    [Fact]
    public async Task Waiting_for_a_message_completes_when_it_arrives()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        var waiting = sandbox.Server.Messages.WaitForCountAsync(1, Guard);

        Assert.False(waiting.IsCompleted);
        using (await SendAsync(sandbox, token, Message()))
        {
        }

        await waiting;
        Assert.Equal(JsonValueKind.Object, sandbox.Server.Messages.Snapshot()[0].Content.ValueKind);
    }

    private static string MessageId(JsonObject body) => body["data"]!["message_id"]!.GetValue<string>();
}
