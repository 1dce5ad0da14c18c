namespace ClockSync.Feishu.Flows;

/// <summary>
/// One punch as sent to <c>batch_create</c>. The first five are the contract's required fields;
/// <paramref name="IdempotentId"/> is the punch fingerprint and is always sent, since without it Feishu does no
/// de-duplication and a resend would double the punch.
/// </summary>
/// <param name="UserId">The Feishu id per the configured <c>employee_type</c>.</param>
/// <param name="CreatorId">Who made the punch; ClockSync sends the user id.</param>
/// <param name="LocationName">Device name or location; never empty.</param>
/// <param name="CheckTime">Unix seconds; sent as a decimal string.</param>
/// <param name="Comment">Free text, e.g. device and direction.</param>
/// <param name="ExternalId">The punch's stable key, for reconciliation with <c>query</c>.</param>
/// <param name="IdempotentId">The punch fingerprint.</param>
/// <param name="Type">Omitted when null (Feishu then assumes a user punch).</param>
public sealed record FeishuFlowRecord(
    string UserId,
    string CreatorId,
    string LocationName,
    long CheckTime,
    string Comment,
    string? ExternalId,
    string IdempotentId,
    FeishuFlowType? Type = null)
{
    /// <summary>Whether the punch was a field (外勤) punch. Sent as <c>is_field</c>.</summary>
    public bool IsField { get; init; }

    /// <summary>Whether the punch was made over Wi-Fi. Sent as <c>is_wifi</c>.</summary>
    public bool IsWifi { get; init; }

    /// <summary>Wi-Fi name; not sent when null.</summary>
    public string? Ssid { get; init; }

    /// <summary>Wi-Fi MAC address; not sent when null.</summary>
    public string? Bssid { get; init; }

    /// <summary>The <c>user_id-creator_id</c> pair that the partial-failure <c>msg</c> lists.</summary>
    internal string FailurePair => UserId + "-" + CreatorId;
}
