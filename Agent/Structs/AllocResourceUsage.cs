namespace Nomad.Agent.Structs;

/// <summary>GET /v1/client/allocation/:id/stats: the allocation's usage, in total and per task (Nomad's AllocResourceUsage).</summary>
public sealed record AllocResourceUsage
{
    public ResourceUsage ResourceUsage { get; init; } = new();
    public Dictionary<string, TaskResourceUsage> Tasks { get; init; } = new();
    /// <summary>Unix nanoseconds.</summary>
    public long Timestamp { get; init; }
}

public sealed record TaskResourceUsage
{
    public ResourceUsage ResourceUsage { get; init; } = new();
    /// <summary>Unix nanoseconds.</summary>
    public long Timestamp { get; init; }
    public Dictionary<string, ResourceUsage>? Pids { get; init; }
}

public sealed record ResourceUsage
{
    public MemoryStats MemoryStats { get; init; } = new();
    public CpuStats CpuStats { get; init; } = new();
    public List<object> DeviceStats { get; init; } = new();
}

public sealed record MemoryStats
{
    public ulong RSS { get; init; }
    public ulong Cache { get; init; }
    public ulong Swap { get; init; }
    public ulong Usage { get; init; }
    public ulong MaxUsage { get; init; }
    public ulong KernelUsage { get; init; }
    public ulong KernelMaxUsage { get; init; }
    public List<string> Measured { get; init; } = new();
}

public sealed record CpuStats
{
    public double SystemMode { get; init; }
    public double UserMode { get; init; }
    public double TotalTicks { get; init; }
    public ulong ThrottledPeriods { get; init; }
    public ulong ThrottledTime { get; init; }
    public double Percent { get; init; }
    public List<string> Measured { get; init; } = new();
}
