namespace ClockSync.Benchmarks.Generation;

/// <summary>
/// A deterministic, realistic-looking stream of punches: 2,000 users (a few alphanumeric PINs), 20 devices, times
/// moving forward from 2023-01-01 so that the expected number of lines spreads over 2.5 years (always in the past), statuses and verify modes as ZKTeco clocks write them,
/// about 0.5 % repeated lines (clocks resend) and 0.1 % from a reset clock (2000-01-01, rejected by the normaliser).
/// </summary>
/// <remarks>
/// With <c>distinctPunches</c> set, the stream repeats its first that many punches over and over: every later line
/// is a duplicate, which keeps the importer's dedupe set at a fixed size whatever the file size.
/// </remarks>
internal sealed class SyntheticPunches
{
    public const int Seed = 20250602;
    public const int Users = 2_000;
    public const int Devices = 20;

    private static readonly DateTime Start = new(2023, 1, 1, 6, 0, 0, DateTimeKind.Unspecified);
    private const long SpanSeconds = 78_000_000; // about 2.5 years
    private static readonly DateTime ResetClock = new(2000, 1, 1, 0, 0, 5, DateTimeKind.Unspecified);

    private readonly int? _distinctPunches;
    private readonly int _maxStepSeconds;
    private Random _random = new(Seed);
    private DateTime _time = Start;
    private SyntheticPunch _previous;
    private long _index;

    /// <param name="expectedLines">Lines the caller will take; sets the average step between punches.</param>
    /// <param name="distinctPunches">Repeat the first this many punches (all later lines are duplicates).</param>
    public SyntheticPunches(long expectedLines, int? distinctPunches = null)
    {
        _distinctPunches = distinctPunches;
        _maxStepSeconds = (int)Math.Clamp(2 * SpanSeconds / Math.Max(1, distinctPunches ?? expectedLines), 1, 3600);
    }

    /// <summary>Alphanumeric PINs for a few users, as some clocks allow (<c>A1034</c>).</summary>
    public static string PinText(int pin) => pin % 97 == 0 ? $"A{pin}" : pin.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public SyntheticPunch Next()
    {
        if (_distinctPunches is { } distinct && _index % distinct == 0)
        {
            _random = new Random(Seed);
            _time = Start;
        }

        _index++;
        var roll = _random.Next(1000);
        if (roll < 5 && _index > 1)
        {
            return _previous;
        }

        _time = _time.AddSeconds(_random.Next(0, _maxStepSeconds + 1));
        var user = _random.Next(Users);
        var punch = new SyntheticPunch(
            Pin: user + 1,
            Time: roll < 6 ? ResetClock : _time,
            Device: 1 + (user % Devices),
            Status: _random.Next(6) switch { 0 or 1 or 2 => 0, 3 or 4 => 1, _ => _random.Next(2, 6) },
            Verify: _random.Next(10) < 7 ? 1 : 15,
            User: user);
        _previous = punch;
        return punch;
    }
}
