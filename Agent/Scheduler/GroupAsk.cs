using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>What one allocation of a task group asks of a node, summed once per evaluation.</summary>
public sealed class GroupAsk
{
    public TaskGroup Group { get; }
    public long Cpu { get; }
    public long MemoryMB { get; }
    public long DiskMB { get; }
    /// <summary>Static ports of all the group's and tasks' networks (must be free on the node).</summary>
    public int[] StaticPorts { get; }
    public int DynamicPortCount { get; }
    public bool HasNetworks { get; }

    public GroupAsk(TaskGroup group)
    {
        Group = group;
        foreach (var t in group.Tasks)
        {
            Cpu += t.Resources.CPU;
            MemoryMB += t.Resources.MemoryMB;
        }
        DiskMB = group.EphemeralDisk.SizeMB;
        var networks = (group.Networks ?? []).Concat(group.Tasks.SelectMany(t => t.Resources.Networks ?? [])).ToList();
        HasNetworks = networks.Count > 0;
        StaticPorts = networks.SelectMany(n => n.ReservedPorts ?? []).Select(p => p.Value).ToArray();
        DynamicPortCount = networks.Sum(n => n.DynamicPorts?.Count ?? 0);
    }
}
