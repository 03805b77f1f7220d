namespace Nomad.Agent.Config;

/// <summary>Bad configuration: the message is one line naming the file:line (or flag) and the problem.</summary>
public sealed class ConfigException(string message) : Exception(message);
