using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>A client node as the servers know it; JSON names follow Nomad's /v1/node/:id.</summary>
public sealed record Node
{
    public string ID { get; init; } = "";
    /// <summary>Authenticates the node's own calls; never returned by the HTTP API.</summary>
    public string SecretID { get; init; } = "";
    public string Datacenter { get; init; } = "dc1";
    public string Name { get; init; } = "";
    public string HTTPAddr { get; init; } = "";
    public bool TLSEnabled { get; init; }
    public Dictionary<string, string> Attributes { get; init; } = new();
    public NodeResources NodeResources { get; init; } = new();
    public NodeReservedResources ReservedResources { get; init; } = new();
    /// <summary>The legacy form of <see cref="NodeResources"/> that Nomad 1.x still sends (derived, never read back).</summary>
    public LegacyResources Resources => LegacyResources.OfNode(NodeResources);
    /// <summary>The legacy form of <see cref="ReservedResources"/> (derived, never read back).</summary>
    public LegacyResources Reserved => LegacyResources.OfReserved(ReservedResources);
    public Dictionary<string, string> Meta { get; init; } = new();
    public string NodeClass { get; init; } = "";
    public bool Drain { get; init; }
    /// <summary>Set while the node drains; null otherwise.</summary>
    public DrainStrategy? DrainStrategy { get; init; }
    public string SchedulingEligibility { get; init; } = NodeEligibility.Eligible;
    public string Status { get; init; } = NodeStatus.Initializing;
    public string StatusDescription { get; init; } = "";
    /// <summary>Unix seconds of the last status change.</summary>
    public long StatusUpdatedAt { get; init; }
    public List<NodeEvent> Events { get; init; } = new();
    public Dictionary<string, DriverInfo> Drivers { get; init; } = new();
    /// <summary>The host volumes the client offers, by name (null when none).</summary>
    public Dictionary<string, ClientHostVolumeConfig>? HostVolumes { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    [JsonIgnore]
    public bool IsTerminal => Status == NodeStatus.Down;

    /// <summary>Whether the scheduler may place new allocations here.</summary>
    [JsonIgnore]
    public bool IsSchedulable => Status == NodeStatus.Ready && !Drain && SchedulingEligibility == NodeEligibility.Eligible;
}

public static class NodeStatus
{
    public const string Initializing = "initializing";
    public const string Ready = "ready";
    public const string Down = "down";

    public static bool IsValid(string s) => s is Initializing or Ready or Down;
}

public static class NodeEligibility
{
    public const string Eligible = "eligible";
    public const string Ineligible = "ineligible";
}

public sealed record NodeEvent
{
    public string Message { get; init; } = "";
    public string Subsystem { get; init; } = "Cluster";
    public Dictionary<string, string>? Details { get; init; }
    [JsonConverter(typeof(GoTimeConverter))]
    public DateTime Timestamp { get; init; }
    public ulong CreateIndex { get; init; }
}

/// <summary>What a driver reported in its last fingerprint.</summary>
public sealed record DriverInfo
{
    public Dictionary<string, string>? Attributes { get; init; }
    public bool Detected { get; init; }
    public bool Healthy { get; init; }
    public string HealthDescription { get; init; } = "";
    [JsonConverter(typeof(GoTimeConverter))]
    public DateTime UpdateTime { get; init; }
}
