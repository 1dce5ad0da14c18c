using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// An in-memory logger provider that keeps each line with the scope values in force when it was written, so tests
/// can assert that every line carries the import id and that no line carries a secret.
/// </summary>
internal sealed class ScopeCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<ScopedLogLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<ScopedLogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(ScopeCapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var scope = new Dictionary<string, string>(StringComparer.Ordinal);
            var scopeText = new List<string>();
            owner._scopes.ForEachScope(
                (value, _) =>
                {
                    scopeText.Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            scope[key] = Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty;
                            scopeText.Add($"{key}={scope[key]}");
                        }
                    }
                },
                (object?)null);
            var properties = state is IEnumerable<KeyValuePair<string, object?>> fields
                ? string.Join(";", fields.Select(field => $"{field.Key}={Convert.ToString(field.Value, CultureInfo.InvariantCulture)}"))
                : string.Empty;
            owner._lines.Enqueue(new ScopedLogLine(category, logLevel, formatter(state, exception), exception?.ToString(), scope,
                string.Join("|", scopeText) + "|" + properties));
        }
    }
}

/// <param name="Everything">Scopes and structured properties as text, for "never contains" assertions.</param>
internal sealed record ScopedLogLine(
    string Category, LogLevel Level, string Message, string? Exception, IReadOnlyDictionary<string, string> Scope, string Everything)
{
    public string AllText => $"{Message}\n{Exception}\n{Everything}";
}
