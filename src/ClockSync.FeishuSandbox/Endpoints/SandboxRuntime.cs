using ClockSync.FeishuSandbox.Wire;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>The state every endpoint shares.</summary>
internal sealed class SandboxRuntime(SandboxSettings settings) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public TimeProvider Time { get; } = settings.TimeProvider;

    public SandboxTenant Tenant { get; } = new(settings);

    public SandboxLedger Ledger { get; } = new();

    public SandboxRequestLog Requests { get; } = new();

    public SandboxFaults Faults { get; } = new(settings.RandomSeed);

    public TokenBucketLimiter Limiter { get; } = new(settings.RateLimit, settings.TimeProvider);

    public SandboxMonthlyQuota Quota { get; } = new(settings.MonthlyQuota);

    public LogIds LogIds { get; } = new(settings.TimeProvider);

    public SandboxMessaging Messaging { get; } = settings.Messaging;

    public SandboxMessages Messages { get; } = new();

    /// <summary>The receiver's own send limit (docs/feishu-contract.md §4c: 5 a second per chat), keyed by receiver, not by app.</summary>
    public TokenBucketLimiter ChatLimiter { get; } = new(new SandboxRateLimit(settings.Messaging.PerChatPerSecond), settings.TimeProvider);

    /// <summary>Cancelled when the server stops, so slow responses on a fake clock do not hold shutdown.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Stop() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();

    /// <summary>Forgets the ledger, the messages, the request log, the fault script and the rate-limit buckets; issued tokens stay
    /// valid so running clients carry on.</summary>
    public void Reset()
    {
        Ledger.Clear();
        Requests.Clear();
        Faults.Clear();
        Limiter.Reset();
        Messages.Clear();
        ChatLimiter.Reset();
    }
}
