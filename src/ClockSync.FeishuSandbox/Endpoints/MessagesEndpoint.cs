using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox.Wire;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>
/// <c>POST /open-apis/im/v1/messages?receive_id_type=…</c> (docs/feishu-contract.md §4c): a message (for ClockSync, a card) to a chat
/// or a user. Checks, in order: token and the app's rate limit, the send scope, <c>receive_id_type</c>, the body's
/// fields, <c>content</c> as a JSON string, the receiver, the bot's membership, the <c>uuid</c> (a repeat within the
/// window answers the first message and stores nothing), then the receiver's own limit of 5 a second.
/// </summary>
internal sealed class MessagesEndpoint(SandboxRuntime runtime, ApiGate gate)
{
    public const string Path = "/open-apis/im/v1/messages";

    private static readonly HashSet<string> ReceiveIdTypes = new(StringComparer.Ordinal) { "chat_id", "open_id", "user_id", "union_id", "email" };

    private static readonly HashSet<string> MsgTypes = new(StringComparer.Ordinal)
    {
        "text", "post", "image", "file", "audio", "media", "sticker", "interactive", "share_chat", "share_user",
    };

    public async Task<SandboxReply> HandleAsync(SandboxExchange exchange)
    {
        var behaviour = runtime.Tenant.Behaviour;
        if (gate.Admit(exchange) is { } refused)
        {
            return refused;
        }

        var messaging = runtime.Messaging;
        if (!messaging.SendScopeGranted)
        {
            return SandboxReply.Error(behaviour, 403, FeishuCodes.ScopeNotGranted, "app scope not granted: im:message:send_as_bot", exchange.LogId);
        }

        var request = exchange.Http.Request;
        if (!ApiGate.IsJson(request.ContentType))
        {
            return FieldInvalid(exchange, behaviour, "Content-Type must be application/json");
        }

        var receiveIdType = request.Query["receive_id_type"].ToString();
        if (!ReceiveIdTypes.Contains(receiveIdType))
        {
            return FieldInvalid(exchange, behaviour, "receive_id_type must be one of chat_id, open_id, user_id, union_id, email");
        }

        var body = await JsonBody.ReadObjectAsync(request, exchange.Aborted);
        if (body is null)
        {
            return FieldInvalid(exchange, behaviour, "the body must be a JSON object");
        }

        var receiveId = JsonBody.String(body, "receive_id");
        var msgType = JsonBody.String(body, "msg_type");
        if (string.IsNullOrEmpty(receiveId))
        {
            return FieldInvalid(exchange, behaviour, "receive_id is required");
        }

        if (msgType is null || !MsgTypes.Contains(msgType))
        {
            return FieldInvalid(exchange, behaviour, "msg_type is required and must be a known message type");
        }

        if (body["content"] is not JsonValue contentValue || !contentValue.TryGetValue<string>(out var contentText))
        {
            // The content is the message JSON *as a string*; a JSON object here is the classic mistake.
            return FieldInvalid(exchange, behaviour, "content is required and must be a string holding JSON");
        }

        var uuid = JsonBody.String(body, "uuid");
        if (uuid is { Length: > 50 })
        {
            return FieldInvalid(exchange, behaviour, "uuid must be at most 50 characters");
        }

        if (!TryParse(contentText, out var content))
        {
            return SandboxReply.Error(behaviour, 400, FeishuCodes.MessageInvalidParam, "invalid message content: content is not a JSON string", exchange.LogId);
        }

        if (msgType == "interactive" && !(content.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array))
        {
            return SandboxReply.Error(behaviour, 400, FeishuCodes.CardContentInvalid, "Failed to create card content: elements must be an array", exchange.LogId);
        }

        if (ReceiverError(exchange, behaviour, receiveIdType, receiveId) is { } receiverError)
        {
            return receiverError;
        }

        var now = runtime.Time.GetUtcNow();
        var (allowed, _) = runtime.ChatLimiter.TryAcquire(receiveIdType + ":" + receiveId, SandboxEndpoints.Messages);
        if (!allowed)
        {
            return SandboxReply.Error(
                behaviour, 400, FeishuCodes.MessageFrequencyLimit, "This operation triggers the frequency limit, ext=too many messages to this chat", exchange.LogId);
        }

        var (stored, _) = runtime.Messages.Add(exchange.AppId!, receiveIdType, receiveId, msgType, uuid, content, now, messaging.UuidWindow);
        exchange.RecordCount = 1;
        var data = new JsonObject
        {
            ["message_id"] = stored.MessageId,
            ["msg_type"] = stored.MsgType,
            ["create_time"] = stored.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        if (stored.ReceiveIdType == "chat_id")
        {
            data["chat_id"] = stored.ReceiveId;
        }

        return SandboxReply.Success("success", data);
    }

    private SandboxReply? ReceiverError(SandboxExchange exchange, SandboxBehaviour behaviour, string receiveIdType, string receiveId)
    {
        bool known;
        switch (receiveIdType)
        {
            case "chat_id":
                if (!runtime.Messaging.Chats.TryGetValue(receiveId, out var botIsMember))
                {
                    known = false;
                    break;
                }

                return botIsMember
                    ? null
                    : SandboxReply.Error(behaviour, 400, FeishuCodes.BotNotInChat, "Bot/User can NOT be out of the chat.", exchange.LogId);
            case "user_id":
                known = runtime.Tenant.IsKnownUser(EmployeeTypes.EmployeeId, receiveId);
                break;
            case "open_id":
                known = receiveId.StartsWith("ou_", StringComparison.Ordinal);
                break;
            case "union_id":
                known = receiveId.StartsWith("on_", StringComparison.Ordinal);
                break;
            default:
                known = receiveId.Contains('@', StringComparison.Ordinal);
                break;
        }

        return known
            ? null
            : SandboxReply.Error(behaviour, 400, FeishuCodes.MessageInvalidParam, $"invalid receive_id: no {receiveIdType} '{receiveId}' in this tenant", exchange.LogId);
    }

    private static SandboxReply FieldInvalid(SandboxExchange exchange, SandboxBehaviour behaviour, string detail) =>
        SandboxReply.Error(behaviour, 400, FeishuCodes.FieldValidationFailed, "field validation failed: " + detail, exchange.LogId);

    private static bool TryParse(string text, out JsonElement content)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            content = document.RootElement.Clone();
            return content.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            content = default;
            return false;
        }
    }
}
