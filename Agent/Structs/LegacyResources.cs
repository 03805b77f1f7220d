namespace Nomad.Agent.Structs;

/// <summary>
/// Nomad's pre-0.9 <c>Resources</c> shape, which Nomad 1.x still sends beside the modern fields: a node's
/// <c>Resources</c>/<c>Reserved</c> and an allocation's <c>Resources</c>/<c>SharedResources</c>/<c>TaskResources</c>.
/// Nomad's own CLI reads them (<c>node status</c> sums running allocations' <c>Resources</c> against the node's), so
/// they are derived here from the modern fields whenever they are written; nothing reads them back.
/// </summary>
public sealed record LegacyResources
{
    public long CPU { get; init; }
    public long Cores { get; init; }
    public long MemoryMB { get; init; }
    public long MemoryMaxMB { get; init; }
    public long DiskMB { get; init; }
    public long IOPS { get; init; }
    public List<NetworkResource>? Networks { get; init; }
    /// <summary>Devices are not modelled; always null.</summary>
    public object? Devices { get; init; }

    public static LegacyResources OfNode(NodeResources r) => new()
    {
        CPU = r.Cpu.CpuShares,
        MemoryMB = r.Memory.MemoryMB,
        DiskMB = r.Disk.DiskMB,
        Networks = r.Networks,
    };

    public static LegacyResources OfReserved(NodeReservedResources r) => new()
    {
        CPU = r.Cpu.CpuShares,
        MemoryMB = r.Memory.MemoryMB,
        DiskMB = r.Disk.DiskMB,
    };

    /// <summary>One task's share (Nomad's AllocatedResources.OldTaskResources): no disk, that is the group's.</summary>
    public static LegacyResources OfTask(AllocatedTaskResources t) => new()
    {
        CPU = t.Cpu.CpuShares,
        MemoryMB = t.Memory.MemoryMB,
        MemoryMaxMB = t.Memory.MemoryMaxMB,
        Networks = t.Networks,
    };

    /// <summary>What the group shares: its disk and its networks.</summary>
    public static LegacyResources OfShared(AllocatedSharedResources s) => new()
    {
        DiskMB = s.DiskMB,
        Networks = s.Networks,
    };

    /// <summary>
    /// The allocation's total: every task plus the shared part, as Nomad's Resources.Add sums them (networks on
    /// the same device become one, their bandwidth and ports added up).
    /// </summary>
    public static LegacyResources OfAllocation(AllocatedResources r)
    {
        var total = new LegacyResources();
        foreach (var t in r.Tasks.Values) total = total.Add(OfTask(t));
        return total.Add(OfShared(r.Shared));
    }

    private LegacyResources Add(LegacyResources delta)
    {
        List<NetworkResource>? networks = Networks is null ? null : [.. Networks];
        foreach (var n in delta.Networks ?? [])
        {
            networks ??= [];
            var i = networks.FindIndex(x => x.Device == n.Device);
            if (i < 0) networks.Add(n);
            else networks[i] = networks[i] with
            {
                MBits = networks[i].MBits + n.MBits,
                ReservedPorts = Concat(networks[i].ReservedPorts, n.ReservedPorts),
                DynamicPorts = Concat(networks[i].DynamicPorts, n.DynamicPorts),
            };
        }
        return this with
        {
            CPU = CPU + delta.CPU,
            Cores = Cores + delta.Cores,
            MemoryMB = MemoryMB + delta.MemoryMB,
            MemoryMaxMB = MemoryMaxMB + delta.MemoryMaxMB,
            DiskMB = DiskMB + delta.DiskMB,
            IOPS = IOPS + delta.IOPS,
            Networks = networks,
        };
    }

    private static List<Port>? Concat(List<Port>? a, List<Port>? b) =>
        a is null && b is null ? null : [.. a ?? [], .. b ?? []];
}
