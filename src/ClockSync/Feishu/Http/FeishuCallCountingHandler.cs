using ClockSync.Feishu.Accounting;

namespace ClockSync.Feishu.Http;

/// <summary>
/// Counts each request as it goes on the wire. It sits inside the resilience handler, so every attempt (a
/// transport re-send too) is counted, as Feishu counts it against the quota.
/// </summary>
internal sealed class FeishuCallCountingHandler(IFeishuCallCounter counter, TimeProvider timeProvider) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(FeishuRequestTags.AppId, out var appId)
            && request.Options.TryGetValue(FeishuRequestTags.Kind, out var kind))
        {
            counter.Count(appId, kind, timeProvider.GetUtcNow());
        }

        return base.SendAsync(request, cancellationToken);
    }
}
