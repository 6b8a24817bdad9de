using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansIm.Tests.Transport;

/// <summary>Keeps log entries so tests can assert that a failure was logged at the right level.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Text, Exception? Exception)> Entries { get; } = new();

    public bool Has(LogLevel level, string fragment) =>
        Entries.Any(e => e.Level == level && (e.Text.Contains(fragment) || (e.Exception?.Message.Contains(fragment) ?? false)));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));
}
