namespace ClockSync.FeishuSandbox;

/// <summary>
/// One request the sandbox answered (or dropped). Holds no body, no header values and no query values that could
/// carry a secret or token.
/// </summary>
public sealed record SandboxRequestRecord
{
    /// <summary>1-based order of arrival at the log.</summary>
    public required long Sequence { get; init; }

    /// <summary>When the request arrived (sandbox clock).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Request path.</summary>
    public required string Path { get; init; }

    /// <summary>Query string with values of secret-looking names masked.</summary>
    public required string Query { get; init; }

    /// <summary>Which endpoint it addressed (<see cref="SandboxEndpoints.None"/> for unknown paths).</summary>
    public required SandboxEndpoints Endpoint { get; init; }

    /// <summary>HTTP status answered; 0 when the connection was dropped or the client went away.</summary>
    public required int Status { get; init; }

    /// <summary>The body's <c>code</c>, when a JSON envelope was answered.</summary>
    public int? Code { get; init; }

    /// <summary>Number of records in the request body (<c>flow_records</c> or <c>user_ids</c>), when parsed.</summary>
    public int? RecordCount { get; init; }

    /// <summary>Number of flows this request added to the ledger.</summary>
    public int AcceptedCount { get; init; }

    /// <summary><c>X-Tt-Logid</c> sent with the response.</summary>
    public required string LogId { get; init; }

    /// <summary>The app (id only) the request was made for, once known.</summary>
    public string? AppId { get; init; }

    /// <summary>How the exchange ended.</summary>
    public required SandboxRequestOutcome Outcome { get; init; }

    /// <summary>Kind of the scripted fault that fired on it, if any.</summary>
    public SandboxFaultKind? Fault { get; init; }
}

/// <summary>How an exchange ended.</summary>
public enum SandboxRequestOutcome
{
    /// <summary>A response was written.</summary>
    Answered,

    /// <summary>The sandbox dropped the connection without a response (a scripted fault).</summary>
    Dropped,

    /// <summary>The client went away before the response (e.g. its timeout during a slow response).</summary>
    ClientAborted,
}
