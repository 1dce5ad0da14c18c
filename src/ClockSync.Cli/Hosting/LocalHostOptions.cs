using ClockSync.Cli.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClockSync.Cli.Hosting;

/// <summary>How a local host is configured: which setting sources, extra settings on top, logging and test hooks.</summary>
internal sealed record LocalHostOptions
{
    /// <summary>Read <c>local.settings.json</c> and environment variables (<c>run</c>, by <see cref="LocalSettings"/>); the demo brings its own settings.</summary>
    public bool ReadUserSettings { get; init; } = true;

    /// <summary>The folder searched for <c>local.settings.json</c> (then the repository root above it): see <see cref="LocalSettings"/>.</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Settings that win over every other source.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Where the host's log lines go; <c>null</c> is the process's standard output.</summary>
    public TextWriter? LogWriter { get; init; }

    /// <summary>Registrations made before the pipeline's (which uses TryAdd), e.g. a TimeProvider.</summary>
    public Action<IServiceCollection>? Services { get; init; }
}
