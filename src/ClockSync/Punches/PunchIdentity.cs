namespace ClockSync.Punches;

/// <summary>
/// Which fingerprints stand for the same punch (<see cref="PunchFingerprint"/> defines them). One rule for the file's
/// own dedupe and for the ledger's "already imported?" look-up:
/// </summary>
/// <list type="bullet">
/// <item>the same user at the same second is the same punch, whatever the format or device text (the fingerprint);</item>
/// <item>a time written without seconds is the same punch as any punch of that user within that minute — with seconds
/// (any of the 60) or without;</item>
/// <item>a time with seconds is the same punch as one of that user and minute recorded without seconds. A minute-only
/// record stands for one punch, so a user's second real punch within that minute, exported later with seconds, is also
/// taken as that punch (two punches of one person within a minute are a double tap far more often than two events);</item>
/// <item>a punch imported by a release before identity v2 is known by its version-1 fingerprint, which needs the device
/// text of the export (the same export still has it).</item>
/// </list>
/// <param name="source"><see cref="PunchOptions.Source"/>, part of every fingerprint.</param>
public sealed class PunchIdentity(string source)
{
    /// <summary>The most <see cref="MinuteAliases"/> can write: the 60 seconds of a minute.</summary>
    public const int MaxMinuteAliases = 60;

    public string Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>
    /// Fingerprints as releases before identity v2 computed them. Only to reproduce such a release in the upgrade test;
    /// never set from configuration.
    /// </summary>
    internal bool Version1 { get; init; }

    /// <summary>The identity the options describe (the normaliser's and the ledger's must be the same one).</summary>
    public static PunchIdentity For(PunchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PunchIdentity(options.Source) { Version1 = options.Version1Identity };
    }

    /// <summary>The fingerprint of a punch read as <paramref name="userKey"/> at <paramref name="checkTime"/>.</summary>
    public PunchFingerprint Of(string userKey, long checkTime, bool minuteOnly, string? device) =>
        Version1 ? PunchFingerprint.ComputeV1(Source, userKey, checkTime, device)
        : minuteOnly ? PunchFingerprint.ComputeMinute(Source, userKey, checkTime)
        : PunchFingerprint.Compute(Source, userKey, checkTime);

    /// <summary>
    /// The other fingerprints under which <paramref name="punch"/> counts as already known at minute precision: for a
    /// time without seconds the 60 seconds of its minute; for a time with seconds its minute's without-seconds form,
    /// when <paramref name="minuteOnlyKnown"/> (the set looked in holds some time without seconds at all). Computed from
    /// the punch's own fingerprint, without hashing.
    /// </summary>
    /// <returns>How many were written to <paramref name="destination"/> (at most <see cref="MaxMinuteAliases"/>).</returns>
    public int MinuteAliases(Punch punch, bool minuteOnlyKnown, Span<UInt128> destination)
    {
        ArgumentNullException.ThrowIfNull(punch);
        if (Version1)
        {
            return 0;
        }

        if (punch.MinuteOnly)
        {
            for (var second = 0; second < MaxMinuteAliases; second++)
            {
                destination[second] = punch.Fingerprint.Sibling(null, second).Value;
            }

            return MaxMinuteAliases;
        }

        if (!minuteOnlyKnown)
        {
            return 0;
        }

        destination[0] = punch.Fingerprint.Sibling((int)(punch.CheckTime - PunchFingerprint.MinuteStart(punch.CheckTime)), null).Value;
        return 1;
    }

    /// <summary>The version-1 fingerprint of <paramref name="punch"/> (one SHA-256: look it up only where version-1 entries exist).</summary>
    public PunchFingerprint Version1Of(Punch punch)
    {
        ArgumentNullException.ThrowIfNull(punch);
        return PunchFingerprint.ComputeV1(Source, punch.UserKey, punch.CheckTime, punch.Device);
    }
}
