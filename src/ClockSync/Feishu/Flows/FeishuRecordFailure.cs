using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Flows;

/// <summary>A record that did not land, why, and what Feishu said.</summary>
public sealed record FeishuRecordFailure(FeishuFlowRecord Record, FeishuRecordFailureKind Kind, string Reason, FeishuCallError Error)
{
    /// <summary>Whether sending the record again may succeed without someone changing configuration or data.</summary>
    public bool IsRetryable => Kind is not (FeishuRecordFailureKind.UnknownUser or FeishuRecordFailureKind.Permanent or FeishuRecordFailureKind.SealedPeriod);
}
