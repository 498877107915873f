using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LaporBot.Tests.Fakes;

/// <summary>Collects every log line (message and exception) so tests can search them for secrets and phone numbers.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string All => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            if (state is IEnumerable<KeyValuePair<string, object?>> kv)
            {
                line += " | " + string.Join(", ", kv.Select(p => $"{p.Key}={p.Value}"));
            }
            if (exception is not null)
            {
                line += "\n" + exception;
            }
            lines.Enqueue(line);
        }
    }
}
