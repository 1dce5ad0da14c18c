using ClockSync.Feishu.Accounting;

namespace ClockSync.Feishu.Http;

/// <summary>
/// The in-process gate: one <see cref="FeishuRateLimiter"/> per app for this process, no call budget. Right for a
/// single process (tests, tools); the pipeline replaces it with the gate shared through storage.
/// </summary>
internal sealed class LocalFeishuCallGate(FeishuRateLimiterRegistry limiters) : IFeishuCallGate
{
    public async ValueTask<FeishuAdmission> EnterAsync(string appId, FeishuCallKind kind, CancellationToken cancellationToken)
    {
        await limiters.For(appId).WaitAsync(cancellationToken);
        return FeishuAdmission.Go;
    }

    public ValueTask ThrottledAsync(string appId, TimeSpan pause, CancellationToken cancellationToken)
    {
        limiters.For(appId).Pause(pause);
        return ValueTask.CompletedTask;
    }
}
