using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Flows;

/// <summary>What one <c>user_flows/query</c> returned: a closed set of cases, never thrown.</summary>
public abstract record FeishuQueryOutcome
{
    private FeishuQueryOutcome()
    {
    }

    /// <summary>The valid flows of the users in the window.</summary>
    public sealed record Found(IReadOnlyList<FeishuUserFlow> Flows) : FeishuQueryOutcome;

    /// <summary>A later retry may succeed.</summary>
    public sealed record TransientFailure(FeishuTransientCause Cause, FeishuCallError Error, TimeSpan? RetryAfter) : FeishuQueryOutcome;

    /// <summary>No usable tenant token.</summary>
    public sealed record AuthFailure(FeishuCallError Error) : FeishuQueryOutcome;

    /// <summary>Refused for a reason retrying will not fix (e.g. <c>1227500</c>, missing permission).</summary>
    public sealed record PermanentFailure(FeishuCallError Error) : FeishuQueryOutcome;
}
