namespace ClockSync.FeishuSandbox;

/// <summary>
/// Token bucket per app and API (docs/feishu-contract.md §2: 50 requests/s per app; §3 the same for <c>query</c>).
/// </summary>
/// <param name="RequestsPerSecond">Refill rate; 0 turns the limit off.</param>
/// <param name="Burst">Bucket size; <c>null</c> means one second's worth of requests.</param>
/// <param name="FractionalReset">Send <c>x-ogw-ratelimit-reset</c> as fractional seconds (else rounded up).</param>
/// <param name="RetryAfterHeader">Also send <c>Retry-After</c> (whole seconds, rounded up).</param>
public sealed record SandboxRateLimit(
    double RequestsPerSecond = 50,
    int? Burst = null,
    bool FractionalReset = true,
    bool RetryAfterHeader = false)
{
    /// <summary>No limit at all.</summary>
    public static SandboxRateLimit Off { get; } = new(0);

    /// <summary>Whether the limit applies.</summary>
    public bool Enabled => RequestsPerSecond > 0;

    /// <summary>The bucket size in force.</summary>
    public int EffectiveBurst => Burst ?? Math.Max(1, (int)Math.Ceiling(RequestsPerSecond));
}
