namespace ClockSync.Benchmarks.Generation;

/// <summary>One generated punch, written as an attlog line or a CSV row with the same information.</summary>
internal readonly record struct SyntheticPunch(int Pin, DateTime Time, int Device, int Status, int Verify, int User);
