using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// What is used on one node as the plan being built would leave it: the state's non-terminal allocations
/// less the plan's stops, plus the plan's placements. Built once per node per evaluation and kept up to date
/// as placements and stops are added, so scoring a node never rescans its allocations.
/// </summary>
public sealed class NodeUsage
{
    public Node Node { get; }
    public long CpuCapacity { get; }
    public long MemoryCapacity { get; }
    public long DiskCapacity { get; }
    public long Cpu { get; private set; }
    public long MemoryMB { get; private set; }
    public long DiskMB { get; private set; }
    /// <summary>Host ports held (the node's reserved ones included).</summary>
    public HashSet<int> Ports { get; } = new();
    /// <summary>Allocations of the job being scheduled on this node, in total and by task group.</summary>
    public int JobAllocs { get; private set; }
    private Dictionary<string, int>? _groupAllocs;

    public NodeUsage(Node node)
    {
        Node = node;
        CpuCapacity = node.NodeResources.Cpu.CpuShares - node.ReservedResources.Cpu.CpuShares;
        MemoryCapacity = node.NodeResources.Memory.MemoryMB - node.ReservedResources.Memory.MemoryMB;
        DiskCapacity = node.NodeResources.Disk.DiskMB - node.ReservedResources.Disk.DiskMB;
        var reserved = node.ReservedResources.Networks.ReservedHostPorts;
        if (reserved.Length > 0) Ports.UnionWith(NodeFit.ReservedHostPorts(reserved));
    }

    public int GroupAllocs(string group) => _groupAllocs is not null && _groupAllocs.TryGetValue(group, out var n) ? n : 0;

    public void Add(Allocation a, string jobId) => Apply(a, jobId, +1);

    public void Remove(Allocation a, string jobId) => Apply(a, jobId, -1);

    private void Apply(Allocation a, string jobId, int sign)
    {
        var r = a.AllocatedResources;
        foreach (var t in r.Tasks.Values)
        {
            Cpu += sign * t.Cpu.CpuShares;
            MemoryMB += sign * t.Memory.MemoryMB;
            AddPorts(t.Networks, sign);
        }
        AddPorts(r.Shared.Networks, sign);
        DiskMB += sign * r.Shared.DiskMB;
        if (a.JobID != jobId) return;
        JobAllocs += sign;
        _groupAllocs ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _groupAllocs[a.TaskGroup] = GroupAllocs(a.TaskGroup) + sign;
    }

    private void AddPorts(List<NetworkResource>? networks, int sign)
    {
        if (networks is null) return;
        foreach (var n in networks)
        {
            if (n.ReservedPorts is not null)
                foreach (var p in n.ReservedPorts) if (sign > 0) Ports.Add(p.Value); else Ports.Remove(p.Value);
            if (n.DynamicPorts is not null)
                foreach (var p in n.DynamicPorts) if (sign > 0) Ports.Add(p.Value); else Ports.Remove(p.Value);
        }
    }

    /// <summary>Null if one more allocation asking <paramref name="ask"/> fits, otherwise the exhausted dimension.</summary>
    public string? Fits(GroupAsk ask)
    {
        if (Cpu + ask.Cpu > CpuCapacity) return "cpu";
        if (MemoryMB + ask.MemoryMB > MemoryCapacity) return "memory";
        if (DiskMB + ask.DiskMB > DiskCapacity) return "disk";
        foreach (var p in ask.StaticPorts)
            if (Ports.Contains(p)) return "network: port collision";
        if (ask.DynamicPortCount > 0 && PortAssigner.DynamicRangeSize - CountDynamicUsed() < ask.DynamicPortCount)
            return "network: dynamic port selection failed";
        return null;
    }

    private int CountDynamicUsed()
    {
        // Only worth counting when the node is nearly full of ports; otherwise there is plenty of room.
        if (Ports.Count < PortAssigner.DynamicRangeSize / 2) return 0;
        var n = 0;
        foreach (var p in Ports) if (p >= PortAssigner.MinDynamicPort && p <= PortAssigner.MaxDynamicPort) n++;
        return n;
    }

    /// <summary>Nomad's best-fit score of the node with one more allocation asking <paramref name="ask"/>, in [0, 1].</summary>
    public double BinPackScore(GroupAsk ask)
    {
        var freeCpu = 1 - (double)(Cpu + ask.Cpu) / CpuCapacity;
        var freeMem = 1 - (double)(MemoryMB + ask.MemoryMB) / MemoryCapacity;
        // Fuller nodes score higher: 10^free is smallest when little is free.
        var score = 20.0 - (Math.Pow(10, freeCpu) + Math.Pow(10, freeMem));
        return Math.Clamp(score, 0, 18.0) / 18.0;
    }
}
