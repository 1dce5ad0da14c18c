namespace ClockSync.FeishuSandbox;

/// <summary>
/// What the sandbox knows for <c>im/v1/messages</c> (docs/feishu-contract.md §4c): the tenant's group chats, which of them the app's
/// bot is a member of, and the per-chat send limit.
/// </summary>
public sealed record SandboxMessaging
{
    /// <summary>A chat the sandbox knows by default, with the bot in it, so a default sandbox can take cards.</summary>
    public const string DefaultChatId = "oc_sandbox_ops";

    /// <summary>Group chats of the tenant: chat id → whether the bot is a member. Sending to a chat the bot is not in
    /// answers 230002; to a chat not listed here, 230001.</summary>
    public IReadOnlyDictionary<string, bool> Chats { get; init; } =
        new Dictionary<string, bool>(StringComparer.Ordinal) { [DefaultChatId] = true };

    /// <summary>Messages a second one chat takes, shared by every bot in it (docs/feishu-contract.md §4c: 5); 0 turns it off.</summary>
    public double PerChatPerSecond { get; init; } = 5;

    /// <summary>How long a <c>uuid</c> de-duplicates a send (docs/feishu-contract.md §4c: one hour).</summary>
    public TimeSpan UuidWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Whether the app holds <c>im:message:send_as_bot</c>; without it a send answers 99991672.</summary>
    public bool SendScopeGranted { get; init; } = true;

    internal bool IsValid => Chats is not null && Chats.Keys.All(id => id.Length > 0) && PerChatPerSecond >= 0 && UuidWindow > TimeSpan.Zero;
}
