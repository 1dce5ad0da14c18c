using System.Text.Json;

namespace ClockSync.FeishuSandbox;

/// <summary>One message the sandbox accepted on <c>im/v1/messages</c> (docs/feishu-contract.md §4c), with its content parsed.</summary>
public sealed record SandboxMessage
{
    /// <summary>The <c>message_id</c> answered (<c>om_…</c>).</summary>
    public required string MessageId { get; init; }

    /// <summary>When it arrived (sandbox clock).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The app (id only) that sent it.</summary>
    public required string AppId { get; init; }

    /// <summary><c>chat_id</c>, <c>open_id</c>, <c>user_id</c>, <c>union_id</c> or <c>email</c>.</summary>
    public required string ReceiveIdType { get; init; }

    /// <summary>The receiver (a chat id, a user id or an address).</summary>
    public required string ReceiveId { get; init; }

    /// <summary><c>interactive</c> for a card, <c>text</c>, …</summary>
    public required string MsgType { get; init; }

    /// <summary>The <c>uuid</c> sent with it, if any.</summary>
    public string? Uuid { get; init; }

    /// <summary>The <c>content</c> string parsed: for a card, the card JSON.</summary>
    public required JsonElement Content { get; init; }
}
