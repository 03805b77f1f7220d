namespace Nomad.Cli.Api;

/// <summary>GET /v1/client/allocation/:id/stats: live usage per task (the subset the CLI prints).</summary>
public sealed record AllocResourceUsage
{
    public ResourceUsage? ResourceUsage { get; init; }
    public Dictionary<string, TaskResourceUsage>? Tasks { get; init; }
    public long Timestamp { get; init; }
}

public sealed record TaskResourceUsage
{
    public ResourceUsage? ResourceUsage { get; init; }
    public long Timestamp { get; init; }
}

public sealed record ResourceUsage
{
    public MemoryStats? MemoryStats { get; init; }
    public CpuStats? CpuStats { get; init; }
}

public sealed record MemoryStats
{
    public ulong RSS { get; init; }
    public ulong Cache { get; init; }
    public ulong Swap { get; init; }
    public ulong Usage { get; init; }
    public ulong MaxUsage { get; init; }
}

public sealed record CpuStats
{
    public double SystemMode { get; init; }
    public double UserMode { get; init; }
    public double TotalTicks { get; init; }
    public double Percent { get; init; }
}
