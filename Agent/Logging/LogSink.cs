namespace Nomad.Agent.Logging;

/// <summary>
/// Where every agent log line goes, in Nomad's format:
/// <c>    2026-11-23T08:31:18.497Z [INFO]  subsystem: message</c>. Thread-safe; filters by level.
/// </summary>
public sealed class LogSink(TextWriter output, LogSeverity minimum)
{
    private readonly Lock _gate = new();
    // While the agent starts, lines wait here so the banner comes first (as Nomad's gated writer does).
    private List<string>? _held;

    public LogSeverity Minimum { get; set; } = minimum;

    public bool IsEnabled(LogSeverity severity) => severity >= Minimum && severity != LogSeverity.Off;

    public void Write(LogSeverity severity, string subsystem, string message)
    {
        if (!IsEnabled(severity)) return;
        var line = $"    {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {LogSeverityNames.Tag(severity)} {subsystem}: {message}";
        lock (_gate)
        {
            if (_held is not null) { _held.Add(line); return; }
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>Holds log lines back until <see cref="Release"/>; raw lines still pass.</summary>
    public void Hold()
    {
        lock (_gate) _held ??= new List<string>();
    }

    /// <summary>Writes the held lines and lets new ones through.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_held is null) return;
            foreach (var line in _held) output.WriteLine(line);
            _held = null;
            output.Flush();
        }
    }

    /// <summary>Writes a line as it is (the banner and `==>` lines), bypassing the level filter.</summary>
    public void WriteRaw(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public Logger For(string subsystem) => new(this, subsystem);
}
