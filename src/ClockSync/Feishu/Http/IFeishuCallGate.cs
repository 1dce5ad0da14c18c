using ClockSync.Feishu.Accounting;

namespace ClockSync.Feishu.Http;

/// <summary>
/// Admits each request to the Open API: the app's rate limit and, for the calls Feishu counts against the monthly
/// quota, the app's call budget. The client knows only this interface, so it stays free of Azure: the in-process gate
/// (<see cref="LocalFeishuCallGate"/>) is the default, and the pipeline registers one shared by every instance through
/// the storage account.
/// </summary>
public interface IFeishuCallGate
{
    /// <summary>
    /// Waits until this request may leave. Refused (without waiting) when the request would pass the monthly call
    /// budget: the caller must not send it.
    /// </summary>
    ValueTask<FeishuAdmission> EnterAsync(string appId, FeishuCallKind kind, CancellationToken cancellationToken);

    /// <summary>Feishu answered a request of the app with its frequency limit: nobody sends before <paramref name="pause"/> has passed.</summary>
    ValueTask ThrottledAsync(string appId, TimeSpan pause, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IFeishuCallGate.EnterAsync"/> decided: go, or the reason the request must not be sent.</summary>
public readonly record struct FeishuAdmission(string? RefusedBecause)
{
    public static FeishuAdmission Go => default;

    public bool Admitted => RefusedBecause is null;

    public static FeishuAdmission Refuse(string reason) => new(reason);
}
