namespace Nomad.Agent.Config;

/// <summary>
/// Bad configuration: the message is one line naming the file:line (or flag) and the problem.
/// Line breaks that arrive inside quoted user values are escaped, so the message stays one line.
/// </summary>
public sealed class ConfigException(string message) : Exception(OneLine(message))
{
    internal static string OneLine(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");
}
