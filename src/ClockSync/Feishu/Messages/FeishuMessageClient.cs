using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Auth;
using ClockSync.Feishu.Http;
using Microsoft.Extensions.Logging;

namespace ClockSync.Feishu.Messages;

/// <summary>
/// <c>POST im/v1/messages</c> through the same token cache, channel (rate limiter, resilient HTTP client) and call
/// counter as <c>batch_create</c>; one resend after an invalid-token answer, nothing else: a card that fails is
/// reported to the caller, never retried in a loop, so it cannot hold up posting.
/// </summary>
internal sealed partial class FeishuMessageClient(
    FeishuChannel channel,
    TenantTokenCache tokens,
    ILogger<FeishuMessageClient> logger) : IFeishuMessageClient
{
    internal const string MessagesPath = "open-apis/im/v1/messages";

    /// <summary>Feishu's limit on <c>uuid</c>.</summary>
    internal const int MaxUuidLength = 50;

    public async Task<FeishuMessageOutcome> SendCardAsync(FeishuReceiver receiver, JsonObject card, string? uuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentException.ThrowIfNullOrWhiteSpace(receiver.Id);
        if (!FeishuReceiver.Types.Contains(receiver.Type))
        {
            throw new ArgumentException($"receive_id_type must be one of {string.Join(", ", FeishuReceiver.Types)}, not '{receiver.Type}'.", nameof(receiver));
        }

        if (uuid is { Length: > MaxUuidLength })
        {
            throw new ArgumentException($"uuid must be at most {MaxUuidLength} characters.", nameof(uuid));
        }

        // The card travels as a JSON string inside the JSON body (docs/feishu-contract.md §4c).
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SendMessageRequest(receiver.Id, "interactive", card.ToJsonString(), uuid), FeishuMessageJsonContext.Default.SendMessageRequest);
        var uri = $"{MessagesPath}?receive_id_type={Uri.EscapeDataString(receiver.Type)}";
        for (var round = 0; ; round++)
        {
            var tokenResult = await tokens.GetAsync(cancellationToken);
            if (tokenResult is TokenResult.Failed refused)
            {
                return Failed(refused.Failure.Error);
            }

            var token = ((TokenResult.Issued)tokenResult).Token;
            var exchange = await channel.PostAsync(token.AppId, FeishuCallKind.Message, uri, body, token.Value, cancellationToken);
            if (exchange is FeishuExchange.NoAnswer none)
            {
                return Failed(none.Failure.Error);
            }

            var answer = ((FeishuExchange.Answered)exchange).Answer;
            var failure = FeishuErrorClassifier.ClassifyApiAnswer(answer);
            if (failure is { Class: FeishuFailureClass.Auth } && round == 0)
            {
                tokens.Invalidate(token);
                continue;
            }

            if (failure is not null)
            {
                return Failed(failure.Error);
            }

            var messageId = answer.Body is { } root && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("message_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
            if (string.IsNullOrEmpty(messageId))
            {
                return Failed(new FeishuCallError(answer.Code, "The answer holds no data.message_id.", answer.HttpStatus, answer.LogId));
            }

            LogSent(logger, receiver.Type, messageId, answer.LogId);
            return new FeishuMessageOutcome(messageId, null);
        }
    }

    private FeishuMessageOutcome Failed(FeishuCallError error)
    {
        LogFailed(logger, error.Code, error.HttpStatus, error.Message, error.LogId);
        return new FeishuMessageOutcome(null, error);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Card sent to a {ReceiveIdType} as message {MessageId} (log id {LogId}).")]
    private static partial void LogSent(ILogger logger, string receiveIdType, string messageId, string? logId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A card could not be sent: code {Code}, HTTP {Status}, msg '{Msg}', log id {LogId}.")]
    private static partial void LogFailed(ILogger logger, int? code, int? status, string msg, string? logId);
}

/// <summary>The <c>im/v1/messages</c> body: <c>content</c> is the card as a JSON string; a null <c>uuid</c> is omitted.</summary>
internal sealed record SendMessageRequest(
    [property: JsonPropertyName("receive_id")] string ReceiveId,
    [property: JsonPropertyName("msg_type")] string MsgType,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("uuid")] string? Uuid);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendMessageRequest))]
internal sealed partial class FeishuMessageJsonContext : JsonSerializerContext;
