namespace Nomad.Agent.Logging;

/// <summary>A subsystem's logger (`nomad`, `client`, `agent`, `nomad.raft`, ...).</summary>
public sealed class Logger(LogSink sink, string subsystem)
{
    public string Subsystem => subsystem;
    public LogSink Sink => sink;

    public Logger Named(string child) => new(sink, $"{subsystem}.{child}");

    public bool IsEnabled(LogSeverity s) => sink.IsEnabled(s);
    public void Trace(string message) => sink.Write(LogSeverity.Trace, subsystem, message);
    public void Debug(string message) => sink.Write(LogSeverity.Debug, subsystem, message);
    public void Info(string message) => sink.Write(LogSeverity.Info, subsystem, message);
    public void Warn(string message) => sink.Write(LogSeverity.Warn, subsystem, message);
    public void Error(string message) => sink.Write(LogSeverity.Error, subsystem, message);

    /// <summary>A logger that drops everything, for tests and tools.</summary>
    public static Logger Null { get; } = new(new LogSink(TextWriter.Null, LogSeverity.Off), "null");
}
