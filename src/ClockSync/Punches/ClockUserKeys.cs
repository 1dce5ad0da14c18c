namespace ClockSync.Punches;

/// <summary>
/// The one place where Punches normalises a clock user key, so that export lines and id-mapping entries compare equal.
/// </summary>
internal static class ClockUserKeys
{
    // TODO(wip/readers): switch to ClockSync.Exports.UserKeys.Normalise when the readers branch lands, so the mapping
    // file and the exports share one definition. Until then keys are only trimmed, as the readers already deliver them.
    public static string Normalise(string key) => key.Trim();
}
