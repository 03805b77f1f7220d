using Microsoft.Extensions.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Nomad.Agent.Logging;

/// <summary>
/// Routes Microsoft.Extensions.Logging (Kestrel, the Raft library) into our sink under a fixed subsystem,
/// one level quieter than ours so library chatter does not drown the agent's own lines.
/// </summary>
public sealed class ExtensionsLoggerProvider(LogSink sink, Func<string, string> subsystemForCategory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Bridge(sink, subsystemForCategory(categoryName));
    public void Dispose() { }

    private sealed class Bridge(LogSink sink, string subsystem) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(MsLogLevel level) => level != MsLogLevel.None && sink.IsEnabled(Map(level));

        public void Log<TState>(MsLogLevel level, EventId id, TState state, Exception? ex, Func<TState, Exception?, string> format)
        {
            if (!IsEnabled(level)) return;
            var message = format(state, ex);
            if (ex is not null) message += $": {ex.GetType().Name}: {ex.Message}";
            sink.Write(Map(level), subsystem, message);
        }

        // Library Information is our Debug, library Debug our Trace.
        private static LogSeverity Map(MsLogLevel level) => level switch
        {
            MsLogLevel.Trace or MsLogLevel.Debug => LogSeverity.Trace,
            MsLogLevel.Information => LogSeverity.Debug,
            MsLogLevel.Warning => LogSeverity.Warn,
            _ => LogSeverity.Error,
        };
    }
}
