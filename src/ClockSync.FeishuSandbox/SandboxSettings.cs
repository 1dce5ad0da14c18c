namespace ClockSync.FeishuSandbox;

/// <summary>Everything the sandbox can be told at start. Every member has a default that gives a working server.</summary>
public sealed record SandboxSettings
{
    /// <summary>The app the sandbox knows when none are configured.</summary>
    public const string DefaultAppId = "cli_sandbox";

    /// <summary>The secret of <see cref="DefaultAppId"/>. A sandbox value, not a real credential.</summary>
    public const string DefaultAppSecret = "sandbox-secret";

    /// <summary>TCP port on 127.0.0.1; <c>null</c> or 0 picks a free one.</summary>
    public int? Port { get; init; }

    /// <summary>Custom apps of the tenant: app id → app secret (docs/feishu-contract.md §1).</summary>
    public IReadOnlyDictionary<string, string> Apps { get; init; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { [DefaultAppId] = DefaultAppSecret };

    /// <summary>Users the tenant knows, per <c>employee_type</c>; <c>null</c> accepts any user.</summary>
    public SandboxUsers? KnownUsers { get; init; }

    /// <summary>How the sandbox answers where the contract allows more than one reading; can be switched at run time
    /// through <see cref="SandboxTenant.Behaviour"/>.</summary>
    public SandboxBehaviour Behaviour { get; init; } = new();

    /// <summary>Lifetime of a new tenant token (docs/feishu-contract.md §1: at most 2 hours).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A token request returns the current token while more than this remains (docs/feishu-contract.md §1: 30 minutes).</summary>
    public TimeSpan TokenReuseMinimumRemaining { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Per-app token bucket on <c>batch_create</c> and <c>query</c> (docs/feishu-contract.md §2: 50 requests/s).</summary>
    public SandboxRateLimit RateLimit { get; init; } = new();

    /// <summary>The tenant's monthly call quota (docs/feishu-contract.md §4); <c>null</c> = none. Changeable at run time through
    /// <see cref="FeishuSandboxServer.MonthlyQuota"/>.</summary>
    public int? MonthlyQuota { get; init; }

    /// <summary>Chats, bot membership and the per-chat limit of <c>im/v1/messages</c> (docs/feishu-contract.md §4c).</summary>
    public SandboxMessaging Messaging { get; init; } = new();

    /// <summary>Clock for token expiry, the rate limit, slow-response delays and the logs.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed for probabilistic faults, so a failing run can be replayed.</summary>
    public int RandomSeed { get; init; } = 20220101;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        Check(Port is null or >= 0 and <= 65535, nameof(Port), "must be 0 to 65535");
        Check(Apps is { Count: > 0 } && Apps.All(a => a.Key.Length > 0 && !string.IsNullOrEmpty(a.Value)), nameof(Apps),
            "must hold at least one app with a non-empty id and secret");
        Check(TokenLifetime > TimeSpan.Zero, nameof(TokenLifetime), "must be positive");
        Check(TokenReuseMinimumRemaining >= TimeSpan.Zero, nameof(TokenReuseMinimumRemaining), "must not be negative");
        Check(RateLimit is { RequestsPerSecond: >= 0, Burst: null or > 0 }, nameof(RateLimit), "needs a rate >= 0 and a burst > 0");
        Check(Behaviour is { PartialFailureMsgSeparator: not null, AuthErrorHttpStatus: >= 400 and < 500 }, nameof(Behaviour),
            "needs a msg separator and a 4xx auth error status");
        Check(MonthlyQuota is null or >= 0, nameof(MonthlyQuota), "must not be negative");
        Check(Messaging is { IsValid: true }, nameof(Messaging), "needs non-empty chat ids, a per-chat rate >= 0 and a positive uuid window");
        Check(TimeProvider is not null, nameof(TimeProvider), "is required");
    }

    private static void Check(bool valid, string name, string rule)
    {
        if (!valid)
        {
            throw new ArgumentException($"SandboxSettings.{name} {rule}.", name);
        }
    }
}
