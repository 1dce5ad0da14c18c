using System.Text.Json.Nodes;
using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Messages;

/// <summary>
/// Sends interactive cards through <c>im/v1/messages</c> with the app's tenant token, rate limiter and call counter.
/// Never throws for a failed send (only the caller's cancellation escapes): a card is news, not data, and its failure
/// is the caller's to log.
/// </summary>
public interface IFeishuMessageClient
{
    /// <summary>Sends <paramref name="card"/> as an <c>interactive</c> message.</summary>
    /// <param name="uuid">Feishu de-duplicates sends with the same value for an hour: a resend after a lost answer
    /// posts nothing twice. At most 50 characters.</param>
    Task<FeishuMessageOutcome> SendCardAsync(FeishuReceiver receiver, JsonObject card, string? uuid, CancellationToken cancellationToken);
}

/// <summary>Who gets a message: <see cref="Type"/> is the <c>receive_id_type</c> (<c>chat_id</c>, <c>open_id</c>,
/// <c>user_id</c>, <c>email</c>), <see cref="Id"/> the <c>receive_id</c>.</summary>
public sealed record FeishuReceiver(string Type, string Id)
{
    /// <summary>The receive id types ClockSync accepts in configuration.</summary>
    public static IReadOnlyList<string> Types { get; } = ["chat_id", "open_id", "user_id", "email"];
}

/// <summary>What became of a send: the <c>message_id</c>, or the error.</summary>
public sealed record FeishuMessageOutcome(string? MessageId, FeishuCallError? Error)
{
    public bool Sent => MessageId is not null;
}
