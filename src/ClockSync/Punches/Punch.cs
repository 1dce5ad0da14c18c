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
    // A punch is allocated for every accepted line, and any field added after the 16-byte fingerprint costs 16 bytes
    // (96 → 112 per punch, measured). The flags below therefore share the line number's 64 bits: line numbers stay
    // far below 2^56.
    private const int FlagShift = 56;
    private const long LineMask = (1L << FlagShift) - 1;
    private const long MinuteOnlyFlag = 1L << FlagShift;
    private const int OverlapShift = FlagShift + 1;
    private const long OverlapMask = 3L << (FlagShift + 1);

    private long _lineAndFlags = Line & LineMask;

    /// <summary>1-based line (or row) of the export it came from, for the report and for support.</summary>
    public long Line
    {
        get => _lineAndFlags & LineMask;
        init => _lineAndFlags = (_lineAndFlags & ~LineMask) | (value & LineMask);
    }

    /// <summary>
    /// The export wrote the time without seconds: <see cref="CheckTime"/> is the minute's first second and
    /// <see cref="Fingerprint"/> the minute form (<see cref="PunchIdentity"/> matches it against the whole minute).
    /// </summary>
    public bool MinuteOnly
    {
        get => (_lineAndFlags & MinuteOnlyFlag) != 0;
        init => _lineAndFlags = value ? _lineAndFlags | MinuteOnlyFlag : _lineAndFlags & ~MinuteOnlyFlag;
    }

    /// <summary>Which reading of a wall time repeated by a daylight-saving fall-back was taken; null for any other time.</summary>
    public DstOverlapReading? Overlap
    {
        get => ((_lineAndFlags & OverlapMask) >> OverlapShift) switch
        {
            0 => null,
            1 => DstOverlapReading.Earlier,
            _ => DstOverlapReading.Later,
        };
        init => _lineAndFlags = (_lineAndFlags & ~OverlapMask) | ((value switch
        {
            null => 0L,
            DstOverlapReading.Earlier => 1L,
            _ => 2L,
        }) << OverlapShift);
    }
}

/// <summary>Which of the two instants of a repeated wall time a punch was placed at (<see cref="PunchTimeZones"/>).</summary>
public enum DstOverlapReading : byte
{
    /// <summary>The first pass through the repeated hour (the offset before the change).</summary>
    Earlier,

    /// <summary>The second pass (the offset after the change).</summary>
    Later,
}
