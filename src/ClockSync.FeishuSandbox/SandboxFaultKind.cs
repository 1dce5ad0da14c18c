namespace ClockSync.FeishuSandbox;

/// <summary>What a scripted fault does to the request it fires on (docs/feishu-contract.md §5).</summary>
public enum SandboxFaultKind
{
    /// <summary>Answer a JSON error envelope with <see cref="SandboxFault.Code"/> and <see cref="SandboxFault.HttpStatus"/>
    /// (e.g. 500 + 1225000, or any row of the contract's error tables) without processing the request.</summary>
    ErrorResponse,

    /// <summary>Answer a 5xx with an HTML body, as a gateway in front of the API does.</summary>
    GatewayHtml,

    /// <summary>Wait <see cref="SandboxFault.Delay"/> (sandbox clock) before processing; stops if the client aborts.</summary>
    SlowResponse,

    /// <summary>Abort the connection without any response.</summary>
    DropConnection,

    /// <summary>Revoke every issued token, then process the request normally.</summary>
    RevokeTokens,

    /// <summary>Answer 429 + 99991400 with the rate-limit headers regardless of the bucket.</summary>
    Throttle,

    /// <summary>Process the request (the ledger records it), then drop the connection: the response is lost.</summary>
    RecordThenDropConnection,

    /// <summary>Process the request (the ledger records it), then answer 500 + 1225000 instead of the result.</summary>
    RecordThenServerError,
}
