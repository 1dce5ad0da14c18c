using System.Globalization;
using ClockSync.Exports;
using ClockSync.Exports.Text;

namespace ClockSync.Punches;

/// <summary>
/// Turns one raw export record into a punch Feishu will accept, or into a rejection that says why. Never throws for bad
/// content; a bad line never stops the file. Duplicates and batching are <see cref="PunchImporter"/>'s business.
/// </summary>
/// <remarks>
/// Rejected here, besides what the readers reject themselves: an empty user key; a time before
/// <see cref="PunchOptions.EarliestDate"/> (midnight in the configured zone — Feishu refuses punches before
/// 2022-01-01, and reset clocks say 2000-01-01); a time more than <see cref="PunchOptions.FutureTolerance"/> after now
/// (a clock with a wrong date); a user missing from the id mapping under <see cref="UnmappedUserPolicy.Reject"/>.
/// </remarks>
public sealed class PunchNormaliser
{
    // Location names are cached per device; the cap keeps a file with a new "device" on every line from growing it.
    private const int LocationCacheLimit = 4096;

    private readonly PunchOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IdMapping? _mapping;
    private readonly ZoneOffsetCache _zone;
    private readonly Dictionary<string, ZoneOffsetCache> _deviceZones;
    private readonly Dictionary<string, string> _locations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Device, string? Direction), string>? _comments;
    private readonly PunchIdentity _identity;

    // Users' wall times seen in a repeated (fall-back) hour, for placing the second occurrence at the later instant.
    // Only such times go in, so it stays small.
    private readonly HashSet<(string UserKey, long Ticks)> _repeatedTimes = [];
    private readonly HashSet<(string UserKey, long Ticks)> _repeatedTwice = [];
    private readonly long _earliest;
    private readonly string _earliestText;

    // Captured once: the options object stays mutable, and a validated limit must not change under a running import.
    private readonly long _futureToleranceSeconds;
    private readonly UnmappedUserPolicy _unmappedUsers;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public PunchNormaliser(PunchOptions options, TimeProvider timeProvider, IdMapping? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        PunchOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _timeProvider = timeProvider;
        _mapping = mapping;
        _zone = new ZoneOffsetCache(Zone(options.TimeZone));
        _deviceZones = new Dictionary<string, ZoneOffsetCache>(StringComparer.OrdinalIgnoreCase);
        foreach (var (device, zone) in options.DeviceTimeZones)
        {
            _deviceZones[device.Trim()] = new ZoneOffsetCache(Zone(zone));
        }

        _futureToleranceSeconds = (long)options.FutureTolerance.TotalSeconds;
        _unmappedUsers = options.UnmappedUsers;
        _identity = PunchIdentity.For(options);

        // Comments depend only on device (hence location) and direction unless the template names the person; then they are cached.
        var personal = options.CommentTemplate.Contains("{name}", StringComparison.OrdinalIgnoreCase)
            || options.CommentTemplate.Contains("{user}", StringComparison.OrdinalIgnoreCase);
        _comments = personal ? null : [];

        var earliestLocal = options.EarliestDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        _earliest = PunchTimeZones.ToUnixSeconds(new ExportTime(earliestLocal, null), _zone.Zone);
        _earliestText = string.Create(CultureInfo.InvariantCulture, $"{options.EarliestDate:yyyy-MM-dd} ({options.TimeZone})");
    }

    public PunchOptions Options => _options;

    /// <summary>How this normaliser's fingerprints are made, and which other fingerprints stand for the same punch.</summary>
    public PunchIdentity Identity => _identity;

    /// <summary>The zone a device's wall-clock times are read in.</summary>
    public TimeZoneInfo ZoneFor(string? device) => ZoneCacheFor(device).Zone;

    private ZoneOffsetCache ZoneCacheFor(string? device) =>
        device is not null && _deviceZones.Count > 0 && _deviceZones.TryGetValue(device.Trim(), out var zone) ? zone : _zone;

    public NormalisedRecord Normalise(RawRecord record)
    {
        switch (record.Kind)
        {
            case RawRecordKind.Skipped:
                return NormalisedRecord.Skipped;
            case RawRecordKind.Rejected:
                return Reject(
                    record.Line,
                    string.IsNullOrWhiteSpace(record.Field) ? "line" : record.Field,
                    string.IsNullOrWhiteSpace(record.Reason) ? "the line could not be read" : record.Reason);
            case RawRecordKind.Punch:
                return NormalisePunch(record);
            default:
                return Reject(record.Line, "line", $"unknown record kind {record.Kind}");
        }
    }

    private NormalisedRecord NormalisePunch(RawRecord record)
    {
        // UserKeys is the one rule shared by the readers, the id mapping and the fingerprint. Readers should have
        // applied it already; applying it here too makes every format agree even if one does not (the rule is
        // idempotent for real keys), and costs no allocation when the key is already normal.
        var rawKey = record.UserKey ?? string.Empty;
        if (!UserKeys.TryNormaliseSlice(rawKey, out var keySlice, out var keyProblem))
        {
            return Reject(record.Line, "user", keyProblem ?? "user key is unusable");
        }

        var userKey = keySlice.Length == rawKey.Length ? rawKey : keySlice.ToString();

        var device = string.IsNullOrWhiteSpace(record.Device) ? null : record.Device.Trim();
        var zone = ZoneCacheFor(device);
        var checkTime = PunchTimeZones.ToUnixSeconds(record.Time, zone);
        DstOverlapReading? overlap = null;
        if (record.Time.Offset is null && zone.IsRepeated(record.Time.Local))
        {
            overlap = PlaceInOverlap(userKey, record.Time.Local);
            if (overlap == DstOverlapReading.Later)
            {
                checkTime = PunchTimeZones.ToUnixSeconds(record.Time.Local, PunchTimeZones.LaterOffsetOf(record.Time.Local, zone.Zone));
            }
        }

        if (checkTime < _earliest)
        {
            return Reject(
                record.Line,
                "time",
                $"time {TextQuote.Of(Describe(record.Time))} is before {_earliestText}; Feishu refuses earlier punches (was the clock reset?)");
        }

        var latest = _timeProvider.GetUtcNow().ToUnixTimeSeconds() + _futureToleranceSeconds;
        if (checkTime > latest)
        {
            return Reject(
                record.Line,
                "time",
                $"time {TextQuote.Of(Describe(record.Time))} is more than {DescribeTolerance(_options.FutureTolerance)} in the future (is the clock's date wrong?)");
        }

        string userId;
        if (_mapping is null)
        {
            userId = userKey;
        }
        else if (_mapping.TryMap(userKey, out var mapped))
        {
            userId = mapped;
        }
        else if (_unmappedUsers == UnmappedUserPolicy.PassThrough)
        {
            userId = userKey;
        }
        else
        {
            return Reject(record.Line, "user", $"user {TextQuote.Of(userKey)} is not in the id mapping {_mapping.FileName}");
        }

        var location = Location(device);
        var comment = Comment(location, device, record.Direction, record.Name, userKey);
        var fingerprint = _identity.Of(userKey, checkTime, record.Time.MinuteOnly, device);
        return NormalisedRecord.Accepted(new Punch(
            record.Line, userKey, userId, checkTime, device, record.Direction, location, comment, fingerprint)
        {
            MinuteOnly = record.Time.MinuteOnly,
            Overlap = overlap,
        });
    }

    /// <summary>
    /// The overlap rule (<see cref="PunchTimeZones"/>): a user's first occurrence of a repeated wall time takes the
    /// earlier instant, the second the later one; any further one the earlier again, where it is a duplicate.
    /// </summary>
    private DstOverlapReading PlaceInOverlap(string userKey, DateTime local)
    {
        var key = (userKey, local.Ticks);
        if (_repeatedTimes.Add(key))
        {
            return DstOverlapReading.Earlier;
        }

        return _repeatedTwice.Add(key) ? DstOverlapReading.Later : DstOverlapReading.Earlier;
    }

    private string Location(string? device)
    {
        if (device is null)
        {
            return _options.DefaultLocationName;
        }

        if (_locations.TryGetValue(device, out var cached))
        {
            return cached;
        }

        var location = PunchText.LocationName(_options, device);
        if (_locations.Count < LocationCacheLimit)
        {
            _locations[device] = location;
        }

        return location;
    }

    private string Comment(string location, string? device, string? direction, string? name, string userKey)
    {
        if (_comments is null)
        {
            return PunchText.Comment(_options, location, device, direction, name, userKey);
        }

        if (_comments.TryGetValue((device ?? string.Empty, direction), out var cached))
        {
            return cached;
        }

        var comment = PunchText.Comment(_options, location, device, direction, name, userKey);
        if (_comments.Count < LocationCacheLimit)
        {
            _comments[(device ?? string.Empty, direction)] = comment;
        }

        return comment;
    }

    private static NormalisedRecord Reject(long line, string field, string reason) =>
        NormalisedRecord.Rejected(new PunchRejection(line, field, reason));

    private static string Describe(ExportTime time)
    {
        var text = time.Local.ToString(time.Local.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if (time.Offset is not { } offset)
        {
            return text;
        }

        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture, $"{text}{sign}{offset.Duration():hh\\:mm}");
    }

    private static string DescribeTolerance(TimeSpan tolerance)
    {
        if (tolerance.Ticks % TimeSpan.TicksPerDay == 0 && tolerance.Days >= 1)
        {
            return tolerance.Days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{tolerance.Days} days");
        }

        if (tolerance.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(long)tolerance.TotalHours} hours");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(long)tolerance.TotalSeconds} seconds");
    }

    private static TimeZoneInfo Zone(string id) =>
        PunchTimeZones.TryFind(id, out var zone) ? zone : throw new ArgumentException($"Unknown time zone \"{id}\".", nameof(id));
}
