namespace Nomad.Cli.Api;

/// <summary>GET /v1/operator/raft/configuration.</summary>
public sealed record RaftConfiguration
{
    public List<RaftServer> Servers { get; init; } = new();
    public ulong Index { get; init; }
}

public sealed record RaftServer
{
    public string ID { get; init; } = "";
    public string Node { get; init; } = "";
    public string Address { get; init; } = "";
    public bool Leader { get; init; }
    public bool Voter { get; init; }
    public string RaftProtocol { get; init; } = "";
}
