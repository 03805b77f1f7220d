namespace Nomad.Agent.Structs;

public sealed record NodeResources
{
    public NodeCpuResources Cpu { get; init; } = new();
    public NodeMemoryResources Memory { get; init; } = new();
    public NodeDiskResources Disk { get; init; } = new();
    public List<NetworkResource> Networks { get; init; } = new();
}

public sealed record NodeCpuResources { public long CpuShares { get; init; } }
public sealed record NodeMemoryResources { public long MemoryMB { get; init; } }
public sealed record NodeDiskResources { public long DiskMB { get; init; } }

public sealed record NetworkResource
{
    public string Mode { get; init; } = "";
    public string Device { get; init; } = "";
    public string CIDR { get; init; } = "";
    public string IP { get; init; } = "";
    public int MBits { get; init; }
    public List<Port>? ReservedPorts { get; init; }
    public List<Port>? DynamicPorts { get; init; }
}

public sealed record Port
{
    public string Label { get; init; } = "";
    public int Value { get; init; }
    public int To { get; init; }
}

public sealed record NodeReservedResources
{
    public NodeCpuResources Cpu { get; init; } = new();
    public NodeMemoryResources Memory { get; init; } = new();
    public NodeDiskResources Disk { get; init; } = new();
    public NodeReservedNetworks Networks { get; init; } = new();
}

public sealed record NodeReservedNetworks { public string ReservedHostPorts { get; init; } = ""; }
