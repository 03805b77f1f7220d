using Nomad.Agent.Client;
using Nomad.Agent.Config;
using Nomad.Agent.Server;

namespace Nomad.Agent.Http;

/// <summary>What the HTTP API may see of the running agent.</summary>
public interface IAgentInfo
{
    /// <summary>The effective configuration (defaults filled).</summary>
    AgentConfig Config { get; }
    NomadServer? Server { get; }
    NomadClient? Client { get; }
    /// <summary>The client's allocations (null when this agent is no client).</summary>
    Client.Allocs.AllocService? Allocs => null;

    /// <summary>This agent's client drivers, when it runs a client (job registration checks task configs with them).</summary>
    DriverManager? Drivers => null;

    /// <summary>The RPC addresses of the servers this agent's client talks to (a client-only agent forwards requests to them).</summary>
    IReadOnlyList<string> KnownServers => [];

    /// <summary>Points the client at other servers (PUT /v1/agent/servers).</summary>
    Task SetClientServersAsync(IReadOnlyList<string> servers);

    /// <summary>The agent-info sections: client, nomad, raft, runtime, serf.</summary>
    Dictionary<string, Dictionary<string, string>> Stats();
}
