using ClockSync.Feishu;
using ClockSync.Punches;

namespace ClockSync.Storage.Batches;

/// <summary>One punch as it travels in a queue message or a failed-batch row: exactly what <c>batch_create</c> needs.</summary>
/// <param name="IdempotentId">The punch fingerprint, sent as <c>idempotent_id</c> and <c>external_id</c>.</param>
/// <param name="Line">The export line it came from, for support.</param>
public sealed record BatchRecord(string UserId, string LocationName, long CheckTime, string Comment, string IdempotentId, long Line)
{
    public static BatchRecord From(Punch punch)
    {
        ArgumentNullException.ThrowIfNull(punch);
        return new BatchRecord(punch.UserId, punch.LocationName, punch.CheckTime, punch.Comment, punch.Fingerprint.ToString(), punch.Line);
    }

    public FeishuFlowRecord ToFlowRecord() =>
        new(UserId, UserId, LocationName, CheckTime, Comment, ExternalId: IdempotentId, IdempotentId: IdempotentId);
}
