namespace Nomad.Agent.Client;

/// <summary>What a client needs from the agent configuration, resolved.</summary>
public sealed record ClientOptions
{
    public required string NodeName { get; init; }
    public required string Datacenter { get; init; }
    public required string Region { get; init; }
    public string NodeClass { get; init; } = "";
    public required string StateDir { get; init; }
    public required string AllocDir { get; init; }
    /// <summary>Whether the identity persists in <see cref="StateDir"/> (not in -dev).</summary>
    public bool PersistIdentity { get; init; } = true;
    public required string HttpAdvertise { get; init; }
    public Dictionary<string, string> Meta { get; init; } = new();
    /// <summary>The host volumes the node offers (client host_volume blocks), by name.</summary>
    public Dictionary<string, Structs.ClientHostVolumeConfig> HostVolumes { get; init; } = new();
    /// <summary>How long to wait before retrying a failed registration or heartbeat.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);
}
