using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>One log message the SDK wrote.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Keeps every message logged through it, for tests that check what the SDK reports (and that no secret leaks).</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Gets or sets a callback run on the logging thread for every message, to act at a precise point of the SDK's work.</summary>
    public Action<LogEntry>? OnLog { get; set; }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, RecordingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new LogEntry(category, logLevel, eventId, formatter(state, exception), exception);
            provider._entries.Enqueue(entry);
            provider.OnLog?.Invoke(entry);
        }
    }
}
