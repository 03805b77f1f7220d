namespace Nomad.Agent.Structs;

/// <summary>A server in the gossip pool, as /v1/agent/members shows it.</summary>
public sealed record ServerMember
{
    public string Name { get; init; } = "";
    public string Addr { get; init; } = "";
    public int Port { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new();
    public string Status { get; init; } = "alive";
    public int ProtocolMin { get; init; } = 1;
    public int ProtocolMax { get; init; } = 5;
    public int ProtocolCur { get; init; } = 2;
    public int DelegateMin { get; init; } = 2;
    public int DelegateMax { get; init; } = 5;
    public int DelegateCur { get; init; } = 4;
}
