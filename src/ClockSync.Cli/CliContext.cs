using ClockSync.Punches;
using Microsoft.Extensions.Configuration;

namespace ClockSync.Cli;

/// <summary>What every command needs from the outside world, so tests can give their own.</summary>
/// <param name="Out">Results (for <c>--json</c>: the JSON and nothing else).</param>
/// <param name="Error">Messages for the operator.</param>
/// <param name="Time">The clock deciding what is "in the future".</param>
/// <param name="PunchOptions">
/// The punch settings before command-line overrides. Today the built-in defaults; when the CLI reads
/// <c>ClockSync__*</c> configuration (with <c>run</c>), it is bound here, so <c>validate</c> keeps reading files exactly
/// as the pipeline does.
/// </param>
public sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Time, Func<PunchOptions> PunchOptions)
{
    /// <summary>
    /// The <c>ClockSync__*</c> settings of the operator commands; null reads environment variables and
    /// <c>local.settings.json</c> (<see cref="ClockSync.Cli.Configuration.LocalSettings"/>). Tests pass their own.
    /// </summary>
    public Func<IConfiguration>? Configuration { get; init; }
}
