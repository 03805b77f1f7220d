namespace Nomad.Agent.Structs;

/// <summary>Nomad 1.1's AllocatedResources: per task CPU, memory and networks, plus what the group shares.</summary>
public sealed record AllocatedResources
{
    public Dictionary<string, AllocatedTaskResources> Tasks { get; init; } = new();
    /// <summary>Task name → its lifecycle hook; task lifecycles are not modelled, so every task maps to null.</summary>
    public Dictionary<string, object?> TaskLifecycles => Tasks.Keys.ToDictionary(k => k, _ => (object?)null);
    public AllocatedSharedResources Shared { get; init; } = new();
}

public sealed record AllocatedTaskResources
{
    public AllocatedCpuResources Cpu { get; init; } = new();
    public AllocatedMemoryResources Memory { get; init; } = new();
    public List<NetworkResource>? Networks { get; init; }
    /// <summary>Devices are not modelled; always null.</summary>
    public object? Devices => null;
}

public sealed record AllocatedCpuResources
{
    public long CpuShares { get; init; }
    /// <summary>Reserved cores are not modelled; always null.</summary>
    public List<int>? ReservedCores => null;
}

public sealed record AllocatedMemoryResources
{
    public long MemoryMB { get; init; }
    /// <summary>Memory oversubscription is not modelled; always 0.</summary>
    public long MemoryMaxMB => 0;
}

public sealed record AllocatedSharedResources
{
    public List<NetworkResource>? Networks { get; init; }
    public long DiskMB { get; init; }
    /// <summary>The group network's ports with the address they are bound to (Nomad's AllocatedPortMapping).</summary>
    public List<AllocatedPortMapping>? Ports =>
        Networks?.SelectMany(n => (n.ReservedPorts ?? []).Concat(n.DynamicPorts ?? [])
            .Select(p => new AllocatedPortMapping(p.Label, p.Value, p.To, n.IP))).ToList();
}

public sealed record AllocatedPortMapping(string Label, int Value, int To, string HostIP);
