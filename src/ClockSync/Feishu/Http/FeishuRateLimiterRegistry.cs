using System.Collections.Concurrent;
using ClockSync.Feishu.Configuration;
using Microsoft.Extensions.Options;

namespace ClockSync.Feishu.Http;

/// <summary>One <see cref="FeishuRateLimiter"/> per app for the whole process (a singleton).</summary>
internal sealed class FeishuRateLimiterRegistry(IOptions<FeishuOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, FeishuRateLimiter> _limiters = new(StringComparer.Ordinal);

    public FeishuRateLimiter For(string appId) =>
        _limiters.GetOrAdd(
            appId,
            static (_, state) => new FeishuRateLimiter(state.Options.RequestsPerSecond, state.Options.RateLimitBurst, state.Time),
            (Options: options.Value, Time: timeProvider));
}
