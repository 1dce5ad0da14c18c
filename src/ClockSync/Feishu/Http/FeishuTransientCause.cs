namespace ClockSync.Feishu.Http;

/// <summary>Why a call failed in a way that a later retry may fix.</summary>
public enum FeishuTransientCause
{
    /// <summary>429 or code 99991400: the frequency limit.</summary>
    Throttled,

    /// <summary>5xx, 1225000 or 1226500.</summary>
    ServerError,

    /// <summary>No answer within the HTTP timeout. The request may have been accepted; resending is safe only
    /// because every record carries its <c>idempotent_id</c>.</summary>
    Timeout,

    /// <summary>Connection refused, reset or dropped.</summary>
    ConnectionFailed,

    /// <summary>An answer that is not the JSON envelope (gateway HTML, empty body).</summary>
    UnreadableAnswer,
}
