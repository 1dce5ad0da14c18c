namespace ClockSync.Punches;

/// <summary>A punch ready for Feishu: one accepted, de-duplicated line of an export.</summary>
/// <param name="Line">1-based line (or row) of the export it came from, for the report and for support.</param>
/// <param name="UserKey">The clock's user key, normalised (PIN, enrol number, 工号).</param>
/// <param name="UserId">The Feishu id sent as <c>user_id</c> and <c>creator_id</c> (mapped, or the key passed through).</param>
/// <param name="CheckTime">Unix seconds, sent as <c>check_time</c>.</param>
/// <param name="Device">The device as the export wrote it, when it did.</param>
/// <param name="Direction">In/out status as written; only ever used in the comment.</param>
/// <param name="LocationName">Sent as <c>location_name</c>; never empty.</param>
/// <param name="Comment">Sent as <c>comment</c>; never empty.</param>
/// <param name="Fingerprint">Sent as <c>idempotent_id</c> and <c>external_id</c>.</param>
public sealed record Punch(
    long Line,
    string UserKey,
    string UserId,
    long CheckTime,
    string? Device,
    string? Direction,
    string LocationName,
    string Comment,
    PunchFingerprint Fingerprint)
{
    /// <summary>
    /// The export wrote the time without seconds: <see cref="CheckTime"/> is the minute's first second and
    /// <see cref="Fingerprint"/> the minute form (<see cref="PunchIdentity"/> matches it against the whole minute).
    /// </summary>
    public bool MinuteOnly { get; init; }

    /// <summary>Which reading of a wall time repeated by a daylight-saving fall-back was taken; null for any other time.</summary>
    public DstOverlapReading? Overlap { get; init; }
}

/// <summary>Which of the two instants of a repeated wall time a punch was placed at (<see cref="PunchTimeZones"/>).</summary>
public enum DstOverlapReading : byte
{
    /// <summary>The first pass through the repeated hour (the offset before the change).</summary>
    Earlier,

    /// <summary>The second pass (the offset after the change).</summary>
    Later,
}
