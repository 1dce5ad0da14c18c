namespace ClockSync.FeishuSandbox;

/// <summary>A scripted fault. Build one with the factory methods.</summary>
public sealed record SandboxFault
{
    private SandboxFault(SandboxFaultKind kind) => Kind = kind;

    /// <summary>What the fault does.</summary>
    public SandboxFaultKind Kind { get; }

    /// <summary>HTTP status for <see cref="SandboxFaultKind.ErrorResponse"/> and <see cref="SandboxFaultKind.GatewayHtml"/>.</summary>
    public int HttpStatus { get; init; }

    /// <summary>Body <c>code</c> for <see cref="SandboxFaultKind.ErrorResponse"/>.</summary>
    public int Code { get; init; }

    /// <summary>Body <c>msg</c> for <see cref="SandboxFaultKind.ErrorResponse"/>.</summary>
    public string Message { get; init; } = "";

    /// <summary>Delay of <see cref="SandboxFaultKind.SlowResponse"/>; reset time of <see cref="SandboxFaultKind.Throttle"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>500 + 1225000 "internal server error" (docs/feishu-contract.md §2 error table).</summary>
    public static SandboxFault ServerError(int httpStatus = 500) =>
        new(SandboxFaultKind.ErrorResponse) { HttpStatus = httpStatus, Code = 1225000, Message = "internal server error" };

    /// <summary>Any JSON error envelope, e.g. 1220005 (no data permission) or 99991672 (scope not granted).</summary>
    public static SandboxFault Error(int code, int httpStatus, string message) =>
        new(SandboxFaultKind.ErrorResponse) { HttpStatus = httpStatus, Code = code, Message = message };

    /// <summary>A 5xx with an HTML body (contract "Envelope": a non-JSON 5xx is transient).</summary>
    public static SandboxFault GatewayHtml(int httpStatus = 502) => new(SandboxFaultKind.GatewayHtml) { HttpStatus = httpStatus };

    /// <summary>A response delayed by <paramref name="delay"/> on the sandbox clock.</summary>
    public static SandboxFault Slow(TimeSpan delay) => new(SandboxFaultKind.SlowResponse) { Delay = delay };

    /// <summary>A connection dropped without a response.</summary>
    public static SandboxFault DropConnection() => new(SandboxFaultKind.DropConnection);

    /// <summary>Every token revoked just before the request is processed.</summary>
    public static SandboxFault RevokeTokens() => new(SandboxFaultKind.RevokeTokens);

    /// <summary>A 429 + 99991400 whose headers ask to wait <paramref name="reset"/> (default 1 s).</summary>
    public static SandboxFault Throttle(TimeSpan? reset = null) =>
        new(SandboxFaultKind.Throttle) { HttpStatus = 429, Code = 99991400, Delay = reset ?? TimeSpan.FromSeconds(1) };

    /// <summary>Accepted into the ledger, then the connection is dropped (the case idempotency exists for).</summary>
    public static SandboxFault RecordThenDropConnection() => new(SandboxFaultKind.RecordThenDropConnection);

    /// <summary>Accepted into the ledger, then answered as 500 + 1225000.</summary>
    public static SandboxFault RecordThenServerError() =>
        new(SandboxFaultKind.RecordThenServerError) { HttpStatus = 500, Code = 1225000, Message = "internal server error" };
}
