using System.ComponentModel.DataAnnotations;

namespace ClockSync.Punches;

/// <summary>
/// How raw export records become punches. Bound from configuration section <see cref="SectionName"/>
/// (<c>ClockSync__Punches__TimeZone</c>, …) and checked by <see cref="PunchOptionsValidator"/>.
/// A mutable class rather than a record because the configuration binder fills it in place.
/// </summary>
public sealed class PunchOptions
{
    public const string SectionName = "ClockSync:Punches";

    /// <summary>Feishu only imports punches from this day on; no configuration can move the limit earlier.</summary>
    public static readonly DateOnly FeishuEarliestDate = new(2022, 1, 1);

    /// <summary>Feishu's limit on records per <c>batch_create</c> call.</summary>
    public const int MaxBatchSize = 50;

    /// <summary>IANA id of the zone the clocks' wall-clock times are in.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Per-device zone overrides: device (as the export writes it, case-insensitive) → IANA id.</summary>
    public IDictionary<string, string> DeviceTimeZones { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// First accepted day. A punch is rejected when its instant is before midnight starting this day in
    /// <see cref="TimeZone"/> (the operator's own calendar, not UTC). Never earlier than <see cref="FeishuEarliestDate"/>.
    /// </summary>
    public DateOnly EarliestDate { get; set; } = FeishuEarliestDate;

    /// <summary>How far past "now" a punch may lie before it is taken for a clock with a wrong date.</summary>
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Applies only when an id mapping is configured; without one every key passes through.</summary>
    public UnmappedUserPolicy UnmappedUsers { get; set; } = UnmappedUserPolicy.Reject;

    /// <summary>Punches per Feishu call; 1 to <see cref="MaxBatchSize"/>.</summary>
    [Range(1, MaxBatchSize)]
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>
    /// Names where punches come from, part of every fingerprint. Changing it changes every fingerprint (so Feishu would
    /// take re-sent punches as new): set it once per tenant and leave it.
    /// </summary>
    [Required]
    public string Source { get; set; } = "clock";

    /// <summary><c>location_name</c> when the export names no device (Feishu requires a non-empty one).</summary>
    [Required]
    public string DefaultLocationName { get; set; } = "考勤机";

    /// <summary><c>location_name</c> for a punch with a device; <c>{device}</c> is replaced.</summary>
    [Required]
    public string LocationNameTemplate { get; set; } = "考勤机 {device}";

    /// <summary>Per-device location names: device (case-insensitive) → name, winning over the template.</summary>
    public IDictionary<string, string> DeviceLocationNames { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The punch's <c>comment</c>. Placeholders: <c>{location}</c>, <c>{device}</c>, <c>{direction}</c> (ZKTeco status
    /// codes 0–5 become 上班/下班/外出/外出返回/加班签到/加班签退, text statuses pass through), <c>{name}</c>, <c>{user}</c>.
    /// Missing parts leave no double spaces; an empty result falls back to the location name.
    /// </summary>
    [Required]
    public string CommentTemplate { get; set; } = "{location} {direction}";

    /// <summary>
    /// Fingerprints as releases before identity v2 made them (device text included). Not a setting (internal, never
    /// bound): it exists so the upgrade test can ingest as an older release did.
    /// </summary>
    internal bool Version1Identity { get; set; }

    /// <summary>How many rejections the report lists; the counts stay exact and the rest are counted as omitted.</summary>
    [Range(0, 1_000_000)]
    public int MaxRejectionsListed { get; set; } = 10_000;
}
