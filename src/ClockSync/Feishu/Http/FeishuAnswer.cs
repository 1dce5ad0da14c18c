using System.Text.Json;

namespace ClockSync.Feishu.Http;

/// <summary>
/// One HTTP exchange with the Open API, reduced to what classification needs. <see cref="Body"/> is the parsed
/// envelope, or null when the body was not JSON.
/// </summary>
internal sealed record FeishuAnswer(
    int HttpStatus,
    int? Code,
    string Message,
    JsonElement? Body,
    string? LogId,
    TimeSpan? RetryAfter)
{
    public FeishuCallError ToError() => new(Code, Message, HttpStatus, LogId);
}
