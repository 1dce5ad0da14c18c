using Microsoft.Extensions.Logging;

namespace ClockSync.Cli.Hosting;

/// <summary>
/// The local host's console log: one line per entry (<c>warn: Category[id] message</c>, as the simple console logger
/// writes it) to a writer of the command's choosing, with the Azure SDK's expected chatter demoted to Debug.
/// </summary>
/// <remarks>
/// Create-if-missing is how the host and the pipeline provision queues, containers and tables: every first
/// <c>CreateIfNotExists</c>, every receipt or lock blob looked up before it exists, answers 404 or 409, and Azure.Core
/// logs each as a Warning ("Error response … 404 The specified queue does not exist"). They are normal traffic, not
/// problems, so they are logged at Debug — kept for whoever asks for Debug, out of everyone else's console. A failure
/// that matters reaches the code as an exception and is logged there.
/// </remarks>
internal sealed class LocalConsoleLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new LocalConsoleLogger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>
    /// The level an entry is written at: Debug for the SDK's expected answers and for work cancelled because the host
    /// is stopping (the only cancellation the host's functions see; the message or timer run is simply done again by
    /// the next start), its own level otherwise.
    /// </summary>
    internal static LogLevel EffectiveLevel(string category, LogLevel level, string message, Exception? exception = null) =>
        (level is LogLevel.Warning or LogLevel.Information && IsExpectedSdkAnswer(category, message))
        || (level is >= LogLevel.Information and <= LogLevel.Error && IsCancellation(exception))
            ? LogLevel.Debug
            : level;

    private static bool IsCancellation(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An Azure SDK "Error response" with 404 (not there yet) or 409 (already there) for a create-if-missing or
    /// look-up-first call, or 412 for an ETag-guarded write that another writer won (the code reads again and retries).</summary>
    internal static bool IsExpectedSdkAnswer(string category, string message) =>
        category.StartsWith("Azure.", StringComparison.Ordinal)
        && message.StartsWith("Error response", StringComparison.Ordinal)
        && (message.Contains(" 404 ", StringComparison.Ordinal) || message.Contains(" 409 ", StringComparison.Ordinal)
            || message.Contains(" 412 ", StringComparison.Ordinal));

    private void Write(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        var effective = EffectiveLevel(category, level, message, exception);
        if (effective < minimum || effective == LogLevel.None)
        {
            return;
        }

        var line = $"{Prefix(effective)}: {category}[{eventId.Id}] {message}";
        lock (_gate)
        {
            writer.WriteLine(line);
            if (exception is not null)
            {
                writer.WriteLine(exception.ToString());
            }

            writer.Flush();
        }
    }

    private static string Prefix(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class LocalConsoleLogger(LocalConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The factory's filters have already applied the minimum; demotion happens once the message is known.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            provider.Write(category, logLevel, eventId, formatter(state, exception), exception);
        }
    }
}
