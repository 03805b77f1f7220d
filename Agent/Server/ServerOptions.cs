namespace Nomad.Agent.Server;

/// <summary>What a server needs from the agent configuration, resolved (no nulls).</summary>
public sealed record ServerOptions
{
    public required string NodeName { get; init; }
    public required string Region { get; init; }
    public required string Datacenter { get; init; }
    /// <summary>This server's stable ID (gossip tag `id`).</summary>
    public required string ServerId { get; init; }
    public required string RpcAdvertise { get; init; }
    public required string SerfAddress { get; init; }
    public required int SerfPort { get; init; }
    public int BootstrapExpect { get; init; } = 1;
    public int NumSchedulers { get; init; } = Environment.ProcessorCount;
    public HeartbeatPolicy Heartbeat { get; init; } = HeartbeatPolicy.Default;
    public TimeSpan NodeGcThreshold { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan NodeGcInterval { get; init; } = TimeSpan.FromMinutes(5);
    public required string Build { get; init; }

    /// <summary>The gossip member name, `name.region` as Nomad's.</summary>
    public string MemberName => $"{NodeName}.{Region}";
}
