using Microsoft.AspNetCore.Http;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>One request in flight and what the sandbox learned about it, for the request log.</summary>
internal sealed class SandboxExchange(HttpContext http, SandboxEndpoints endpoint, string logId, DateTimeOffset arrivedAt)
{
    public HttpContext Http { get; } = http;

    public SandboxEndpoints Endpoint { get; } = endpoint;

    public string LogId { get; } = logId;

    public DateTimeOffset ArrivedAt { get; } = arrivedAt;

    public CancellationToken Aborted => Http.RequestAborted;

    public string? AppId { get; set; }

    public int? RecordCount { get; set; }

    public int AcceptedCount { get; set; }

    public SandboxFaultKind? Fault { get; set; }

    /// <summary>Whether the call holds a place in the monthly quota (counted or given back when it ends).</summary>
    public bool QuotaTaken { get; set; }
}
