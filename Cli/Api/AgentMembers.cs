using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>GET /v1/agent/members: the answering server's identity and the gossip pool it sees.</summary>
public sealed record AgentMembers
{
    public string ServerName { get; init; } = "";
    public string ServerRegion { get; init; } = "";
    public string ServerDC { get; init; } = "";
    public List<ServerMember> Members { get; init; } = new();
}
