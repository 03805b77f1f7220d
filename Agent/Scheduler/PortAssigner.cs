using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Builds an allocation's resources on a chosen node: CPU and memory per task, the group's disk, and its
/// networks with static ports as asked and dynamic ports picked from Nomad's range among those free on the
/// node (random tries first, as Nomad does, then a scan). Picked ports are marked used at once.
/// </summary>
public static class PortAssigner
{
    public const int MinDynamicPort = 20000;
    public const int MaxDynamicPort = 32000;
    public const int DynamicRangeSize = MaxDynamicPort - MinDynamicPort + 1;
    private const int RandomTries = 20;

    /// <summary>The resources for one allocation of <paramref name="ask"/>'s group on <paramref name="usage"/>'s node; null if dynamic ports ran out.</summary>
    public static AllocatedResources? Build(GroupAsk ask, NodeUsage usage, Random random)
    {
        var taken = new List<int>();
        var ip = NodeNetwork(usage.Node);
        var tasks = new Dictionary<string, AllocatedTaskResources>(ask.Group.Tasks.Count);
        foreach (var t in ask.Group.Tasks)
        {
            List<NetworkResource>? nets = null;
            if (t.Resources.Networks is { Count: > 0 } asked)
            {
                nets = Assign(asked, ip, usage, random, taken);
                if (nets is null) return Undo(usage, taken);
            }
            tasks[t.Name] = new AllocatedTaskResources
            {
                Cpu = new AllocatedCpuResources { CpuShares = t.Resources.CPU },
                Memory = new AllocatedMemoryResources { MemoryMB = t.Resources.MemoryMB },
                Networks = nets,
            };
        }
        List<NetworkResource>? shared = null;
        if (ask.Group.Networks is { Count: > 0 } groupNets)
        {
            shared = Assign(groupNets, ip, usage, random, taken);
            if (shared is null) return Undo(usage, taken);
        }
        // The caller adds the finished allocation to the usage; release the scratch marks so it is counted once.
        foreach (var p in taken) usage.Ports.Remove(p);
        return new AllocatedResources
        {
            Tasks = tasks,
            Shared = new AllocatedSharedResources { DiskMB = ask.DiskMB, Networks = shared },
        };
    }

    private static AllocatedResources? Undo(NodeUsage usage, List<int> taken)
    {
        foreach (var p in taken) usage.Ports.Remove(p);
        return null;
    }

    private static NetworkResource? NodeNetwork(Node node)
    {
        foreach (var n in node.NodeResources.Networks)
            if (n.IP.Length > 0) return n;
        return null;
    }

    private static List<NetworkResource>? Assign(List<NetworkResource> asked, NetworkResource? host, NodeUsage usage, Random random, List<int> taken)
    {
        var result = new List<NetworkResource>(asked.Count);
        foreach (var n in asked)
        {
            List<Port>? reserved = null;
            if (n.ReservedPorts is { Count: > 0 })
            {
                reserved = new List<Port>(n.ReservedPorts.Count);
                foreach (var p in n.ReservedPorts)
                {
                    if (usage.Ports.Add(p.Value)) taken.Add(p.Value);
                    reserved.Add(p);
                }
            }
            List<Port>? dynamic = null;
            if (n.DynamicPorts is { Count: > 0 })
            {
                dynamic = new List<Port>(n.DynamicPorts.Count);
                foreach (var p in n.DynamicPorts)
                {
                    var port = PickDynamic(usage.Ports, random);
                    if (port == 0) return null;
                    usage.Ports.Add(port);
                    taken.Add(port);
                    dynamic.Add(p with { Value = port, To = p.To == -1 ? port : p.To });
                }
            }
            result.Add(n with
            {
                Device = host?.Device ?? n.Device,
                CIDR = host?.CIDR ?? n.CIDR,
                IP = host?.IP ?? n.IP,
                ReservedPorts = reserved,
                DynamicPorts = dynamic,
            });
        }
        return result;
    }

    private static int PickDynamic(HashSet<int> used, Random random)
    {
        for (var i = 0; i < RandomTries; i++)
        {
            var p = random.Next(MinDynamicPort, MaxDynamicPort + 1);
            if (!used.Contains(p)) return p;
        }
        var start = random.Next(DynamicRangeSize);
        for (var i = 0; i < DynamicRangeSize; i++)
        {
            var p = MinDynamicPort + (start + i) % DynamicRangeSize;
            if (!used.Contains(p)) return p;
        }
        return 0;
    }
}
