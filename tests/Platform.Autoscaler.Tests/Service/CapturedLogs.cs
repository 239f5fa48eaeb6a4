using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Platform.Autoscaler.Tests.Service;

/// <summary>Every log line the host writes, with its level, message and exception, for assertions on what an operator reads.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Error)> lines = new();

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Error)> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string, Exception?)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
