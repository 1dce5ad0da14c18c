namespace ClockSync.Feishu.Http;

/// <summary>
/// What Feishu (or the network) said about a failed call, kept with every recorded failure.
/// </summary>
/// <param name="Code">The envelope's <c>code</c>; null when there was no readable answer.</param>
/// <param name="Message">The envelope's <c>msg</c>, or a description of the transport fault.</param>
/// <param name="HttpStatus">Null when no response arrived.</param>
/// <param name="LogId">The <c>X-Tt-Logid</c> header (or <c>error.log_id</c>) that Feishu support asks for.</param>
public sealed record FeishuCallError(int? Code, string Message, int? HttpStatus, string? LogId);
