using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ClockSync.IntegrationTests.Secrets;

/// <summary>Keeps every log line (message and exception text) so tests can assert what was and was not logged.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue(new CapturedLog(logLevel, formatter(state, exception), exception?.ToString()));
    }
}

internal sealed record CapturedLog(LogLevel Level, string Message, string? Exception)
{
    public string AllText => $"{Message}\n{Exception}";
}
