namespace Nomad.Agent.Structs;

/// <summary>Nomad 0.11's AllocatedResources: per task CPU, memory and networks, plus what the group shares.</summary>
public sealed record AllocatedResources
{
    public Dictionary<string, AllocatedTaskResources> Tasks { get; init; } = new();
    public AllocatedSharedResources Shared { get; init; } = new();
}

public sealed record AllocatedTaskResources
{
    public AllocatedCpuResources Cpu { get; init; } = new();
    public AllocatedMemoryResources Memory { get; init; } = new();
    public List<NetworkResource>? Networks { get; init; }
}

public sealed record AllocatedCpuResources { public long CpuShares { get; init; } }

public sealed record AllocatedMemoryResources { public long MemoryMB { get; init; } }

public sealed record AllocatedSharedResources
{
    public List<NetworkResource>? Networks { get; init; }
    public long DiskMB { get; init; }
}
