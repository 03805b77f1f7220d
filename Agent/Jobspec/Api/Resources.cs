namespace Nomad.Agent.Jobspec.Api;

/// <summary>api.Resources (<c>resources</c>): <c>memory</c> is MemoryMB, <c>memory_max</c> MemoryMaxMB.</summary>
public sealed class Resources
{
    public int? CPU { get; set; }
    public int? Cores { get; set; }
    public int? MemoryMB { get; set; }
    public int? MemoryMaxMB { get; set; }
    public int? DiskMB { get; set; }
    public List<NetworkResource>? Networks { get; set; }
    public List<RequestedDevice>? Devices { get; set; }
    public int? IOPS { get; set; }
}

/// <summary>api.RequestedDevice (<c>device "name"</c>).</summary>
public sealed class RequestedDevice
{
    public string Name { get; set; } = "";
    public ulong? Count { get; set; }
    public List<Constraint>? Constraints { get; set; }
    public List<Affinity>? Affinities { get; set; }
}

/// <summary>api.NetworkResource (<c>network</c>): <c>port "label"</c> blocks are DynamicPorts until normalised.</summary>
public sealed class NetworkResource
{
    public string Mode { get; set; } = "";
    public string Device { get; set; } = "";
    public string CIDR { get; set; } = "";
    public string IP { get; set; } = "";
    public DNSConfig? DNS { get; set; }
    public List<Port>? ReservedPorts { get; set; }
    public List<Port>? DynamicPorts { get; set; }
    public string Hostname { get; set; } = "";
    public int? MBits { get; set; }
}

/// <summary>api.Port: <c>static</c> is Value.</summary>
public sealed class Port
{
    public string Label { get; set; } = "";
    public int Value { get; set; }
    public int To { get; set; }
    public string HostNetwork { get; set; } = "";
}

public sealed class DNSConfig
{
    public List<string>? Servers { get; set; }
    public List<string>? Searches { get; set; }
    public List<string>? Options { get; set; }
}
