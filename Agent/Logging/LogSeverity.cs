namespace Nomad.Agent.Logging;

public enum LogSeverity { Trace, Debug, Info, Warn, Error, Off }

public static class LogSeverityNames
{
    public const string Valid = "TRACE, DEBUG, INFO, WARN, ERROR";

    public static bool TryParse(string? text, out LogSeverity severity)
    {
        severity = (text ?? "").Trim().ToUpperInvariant() switch
        {
            "TRACE" => LogSeverity.Trace,
            "DEBUG" => LogSeverity.Debug,
            "INFO" => LogSeverity.Info,
            "WARN" or "WARNING" => LogSeverity.Warn,
            "ERR" or "ERROR" => LogSeverity.Error,
            "OFF" => LogSeverity.Off,
            _ => (LogSeverity)(-1),
        };
        return severity >= 0;
    }

    public static string Tag(LogSeverity s) => s switch
    {
        LogSeverity.Trace => "[TRACE]",
        LogSeverity.Debug => "[DEBUG]",
        LogSeverity.Info => "[INFO] ",
        LogSeverity.Warn => "[WARN] ",
        _ => "[ERROR]",
    };
}
