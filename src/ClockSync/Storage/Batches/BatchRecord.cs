using ClockSync.Feishu.Flows;
using ClockSync.Punches;

namespace ClockSync.Storage.Batches;

/// <summary>One punch as it travels in a queue message or a failed-batch row: exactly what <c>batch_create</c> needs.</summary>
/// <param name="IdempotentId">The punch fingerprint, sent as <c>idempotent_id</c> and <c>external_id</c>.</param>
/// <param name="Line">The export line it came from, for support.</param>
/// <param name="UserKey">The clock's user key when the id mapping gave <paramref name="UserId"/> a different id (null when
/// they are the same): a punch Feishu refused is held under this key and mapped again when the mapping changes.</param>
public sealed record BatchRecord(string UserId, string LocationName, long CheckTime, string Comment, string IdempotentId, long Line, string? UserKey = null)
{
    public static BatchRecord From(Punch punch)
    {
        ArgumentNullException.ThrowIfNull(punch);
        return new BatchRecord(punch.UserId, punch.LocationName, punch.CheckTime, punch.Comment, punch.Fingerprint.ToString(), punch.Line,
            string.Equals(punch.UserKey, punch.UserId, StringComparison.Ordinal) ? null : punch.UserKey);
    }

    /// <summary>The clock's user key (the id itself when the mapping passed it through).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ClockKey => UserKey ?? UserId;

    public FeishuFlowRecord ToFlowRecord() =>
        new(UserId, UserId, LocationName, CheckTime, Comment, ExternalId: IdempotentId, IdempotentId: IdempotentId);
}
