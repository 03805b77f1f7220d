using Nomad.Agent.Config;

namespace Nomad.Agent;

/// <summary>Wires server, client and HTTP from the configuration; prints the banner; handles signals.</summary>
public static class AgentHost
{
    /// <summary>
    /// Runs `nomad agent` until a signal stops it. <paramref name="flags"/> is the overlay built from the
    /// command line; <paramref name="configPaths"/> are the -config files/directories in order (later wins,
    /// flags win over files). Returns the process exit code.
    /// </summary>
    public static Task<int> RunAsync(AgentConfig flags, IReadOnlyList<string> configPaths, CancellationToken ct)
        => throw new NotImplementedException();
}
