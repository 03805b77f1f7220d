using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Whether a set of allocations fits on a node: CPU, memory and disk within what the node offers less
/// what it reserves, and no port used twice (nor a port the node reserves). Both the schedulers and the
/// plan applier ask this, so a plan that raced another never overcommits a node.
/// </summary>
public static class NodeFit
{
    /// <summary>Checks <paramref name="allocs"/> (the non-terminal ones count) against <paramref name="node"/>.</summary>
    /// <returns>Whether they fit, the exhausted dimension if not, and the resources they use.</returns>
    public static (bool Fits, string Dimension, UsedResources Used) Check(Node node, IEnumerable<Allocation> allocs)
    {
        var used = new UsedResources();
        var ports = new HashSet<int>(ReservedHostPorts(node.ReservedResources.Networks.ReservedHostPorts));
        string? collision = null;
        foreach (var a in allocs)
        {
            if (a.IsTerminal) continue;
            used.Add(a.AllocatedResources);
            foreach (var port in PortsOf(a.AllocatedResources))
                if (!ports.Add(port)) collision ??= "network: port collision";
        }
        if (collision is not null) return (false, collision, used);
        var cpu = node.NodeResources.Cpu.CpuShares - node.ReservedResources.Cpu.CpuShares;
        var mem = node.NodeResources.Memory.MemoryMB - node.ReservedResources.Memory.MemoryMB;
        var disk = node.NodeResources.Disk.DiskMB - node.ReservedResources.Disk.DiskMB;
        if (used.Cpu > cpu) return (false, "cpu", used);
        if (used.MemoryMB > mem) return (false, "memory", used);
        if (used.DiskMB > disk) return (false, "disk", used);
        return (true, "", used);
    }

    /// <summary>Every host port an allocation holds (static and dynamic, tasks' and the group's).</summary>
    public static IEnumerable<int> PortsOf(AllocatedResources r)
    {
        foreach (var t in r.Tasks.Values)
            foreach (var p in PortsOf(t.Networks)) yield return p;
        foreach (var p in PortsOf(r.Shared.Networks)) yield return p;
    }

    private static IEnumerable<int> PortsOf(List<NetworkResource>? networks)
    {
        if (networks is null) yield break;
        foreach (var n in networks)
        {
            foreach (var p in n.ReservedPorts ?? []) yield return p.Value;
            foreach (var p in n.DynamicPorts ?? []) yield return p.Value;
        }
    }

    /// <summary>Parses a node's <c>reserved.reserved_ports</c> ("22,80,8000-8100"); bad parts are ignored (the client validated them).</summary>
    public static IEnumerable<int> ReservedHostPorts(string spec)
    {
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (int.TryParse(part, out var p)) yield return p;
                continue;
            }
            if (int.TryParse(part[..dash], out var lo) && int.TryParse(part[(dash + 1)..], out var hi))
                for (var p = lo; p <= hi; p++) yield return p;
        }
    }
}

/// <summary>The sum of allocations' resources on a node.</summary>
public sealed class UsedResources
{
    public long Cpu { get; private set; }
    public long MemoryMB { get; private set; }
    public long DiskMB { get; private set; }

    public void Add(AllocatedResources r)
    {
        foreach (var t in r.Tasks.Values)
        {
            Cpu += t.Cpu.CpuShares;
            MemoryMB += t.Memory.MemoryMB;
        }
        DiskMB += r.Shared.DiskMB;
    }
}
