namespace ClockSync.Punches;

/// <summary>
/// Finds punches that repeat one seen earlier in the same file, by the rules of <see cref="PunchIdentity"/>: the same
/// fingerprint, or the same user within a minute when one of the two times has no seconds.
/// </summary>
/// <remarks>
/// A file is nearly always all with seconds or all without, so the minute checks only run once the file has shown
/// both kinds: a time without seconds is only checked against the 60 seconds of its minute after some time with
/// seconds was seen, and a time with seconds only against its minute's without-seconds form after some time without.
/// A file of one kind costs what it did before identity v2.
/// </remarks>
/// <param name="identity">The fingerprint rules.</param>
/// <param name="days">Null: the whole file is remembered; a number: that many most recent days (<see cref="DayWindowFingerprintSet"/>).</param>
internal sealed class InFileDedupe(PunchIdentity identity, int? days)
{
    private readonly FingerprintSet? _all = days is null ? new FingerprintSet() : null;
    private readonly DayWindowFingerprintSet? _window = days is { } held ? new DayWindowFingerprintSet(held) : null;
    private bool _sawWithSeconds;
    private bool _sawMinuteOnly;

    /// <summary>Remembers <paramref name="punch"/>; null when it is new, otherwise how it matched one seen before.</summary>
    public PunchMatch? Add(Punch punch)
    {
        var checkTime = punch.CheckTime;
        if (punch.MinuteOnly)
        {
            // Matched to a punch with seconds, it is not remembered itself: its minute form would make a later real
            // punch of that minute (with seconds) look like it.
            if (_sawWithSeconds && AnyKnown(punch, checkTime))
            {
                return PunchMatch.MinutePrecision;
            }

            _sawMinuteOnly = true;
            return Add(checkTime, punch.Fingerprint.Value) ? null : PunchMatch.Exact;
        }

        _sawWithSeconds = true;
        if (!Add(checkTime, punch.Fingerprint.Value))
        {
            return PunchMatch.Exact;
        }

        return _sawMinuteOnly && AnyKnown(punch, checkTime) ? PunchMatch.MinutePrecision : null;
    }

    private bool AnyKnown(Punch punch, long checkTime)
    {
        Span<UInt128> aliases = stackalloc UInt128[PunchIdentity.MaxMinuteAliases];
        var count = identity.MinuteAliases(punch, minuteOnlyKnown: true, aliases);
        foreach (var alias in aliases[..count])
        {
            if (_all?.Contains(alias) ?? _window!.Contains(checkTime, alias))
            {
                return true;
            }
        }

        return false;
    }

    private bool Add(long checkTime, UInt128 fingerprint) => _all?.Add(fingerprint) ?? _window!.Add(checkTime, fingerprint);
}
