namespace ClockSync.Feishu.Http;

/// <summary>How a failed call is classified.</summary>
internal enum FeishuFailureClass
{
    Transient,
    Auth,
    Permanent,

    /// <summary>The tenant's monthly quota or the app's own call budget is used up: nothing succeeds until it resets.</summary>
    QuotaExhausted,
}
