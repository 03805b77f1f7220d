namespace Nomad.Agent.Jobspec;

/// <summary>A job file that cannot be read. The message is one line: <c>FILE:LINE:COL: problem</c> (or <c>FILE: problem</c>).</summary>
public sealed class JobspecException(string message) : Exception(message.Replace("\r", "\\r").Replace("\n", "\\n"));
