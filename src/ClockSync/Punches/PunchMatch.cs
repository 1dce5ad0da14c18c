namespace ClockSync.Punches;

/// <summary>How a punch was found to be one already known.</summary>
public enum PunchMatch : byte
{
    /// <summary>The same fingerprint.</summary>
    Exact,

    /// <summary>
    /// A time without seconds matched a punch of the same user within that minute, or a time with seconds matched a
    /// punch of that minute recorded without seconds.
    /// </summary>
    MinutePrecision,

    /// <summary>The punch's version-1 fingerprint: imported by a release before identity v2.</summary>
    Version1,
}
