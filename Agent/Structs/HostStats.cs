namespace Nomad.Agent.Structs;

/// <summary>GET /v1/client/stats: the client host's usage; the CLI shows Uptime and Host Resource Utilization from it.</summary>
public sealed record HostStats
{
    public HostMemoryStats? Memory { get; init; }
    public List<HostDiskStats>? DiskStats { get; init; }
    public double CPUTicksConsumed { get; init; }
    public List<HostCpuStats>? CPU { get; init; }
    /// <summary>Unix nanoseconds when the sample was taken.</summary>
    public long Timestamp { get; init; }
    /// <summary>Seconds since the host booted.</summary>
    public ulong Uptime { get; init; }
}

public sealed record HostMemoryStats
{
    public ulong Total { get; init; }
    public ulong Available { get; init; }
    public ulong Used { get; init; }
    public ulong Free { get; init; }
}

public sealed record HostDiskStats
{
    public string Device { get; init; } = "";
    public string Mountpoint { get; init; } = "";
    public ulong Size { get; init; }
    public ulong Used { get; init; }
    public ulong Available { get; init; }
}

public sealed record HostCpuStats
{
    public string CPU { get; init; } = "";
    public double User { get; init; }
    public double System { get; init; }
    public double Idle { get; init; }
    public double Total { get; init; }
}
