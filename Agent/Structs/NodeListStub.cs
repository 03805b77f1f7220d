using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>The short form of a node that /v1/nodes lists.</summary>
public sealed record NodeListStub
{
    public string Address { get; init; } = "";
    public string ID { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public string Name { get; init; } = "";
    public string NodeClass { get; init; } = "";
    public string Version { get; init; } = "";
    public bool Drain { get; init; }
    public string SchedulingEligibility { get; init; } = "";
    public string Status { get; init; } = "";
    public string StatusDescription { get; init; } = "";
    public Dictionary<string, DriverInfo> Drivers { get; init; } = new();
    public Dictionary<string, ClientHostVolumeConfig>? HostVolumes { get; init; }
    /// <summary>Only with <c>?resources=true</c>; left out otherwise, as Nomad's omitempty does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NodeResources? NodeResources { get; init; }
    /// <summary>Only with <c>?resources=true</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NodeReservedResources? ReservedResources { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static NodeListStub From(Node n) => From(n, resources: false);

    /// <summary>The stub of <paramref name="n"/>; with <paramref name="resources"/> (<c>?resources=true</c>) its resources too.</summary>
    public static NodeListStub From(Node n, bool resources) => new()
    {
        Address = n.HTTPAddr.Contains(':') ? n.HTTPAddr[..n.HTTPAddr.LastIndexOf(':')] : n.HTTPAddr,
        ID = n.ID,
        Datacenter = n.Datacenter,
        Name = n.Name,
        NodeClass = n.NodeClass,
        Version = n.Attributes.GetValueOrDefault("nomad.version", ""),
        Drain = n.Drain,
        SchedulingEligibility = n.SchedulingEligibility,
        Status = n.Status,
        StatusDescription = n.StatusDescription,
        Drivers = n.Drivers,
        HostVolumes = n.HostVolumes,
        NodeResources = resources ? n.NodeResources : null,
        ReservedResources = resources ? n.ReservedResources : null,
        CreateIndex = n.CreateIndex,
        ModifyIndex = n.ModifyIndex,
    };
}
