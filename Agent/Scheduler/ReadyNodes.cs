using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// The nodes a job may be placed on: schedulable (ready, eligible, not draining) and in one of its
/// datacenters (Nomad's readyNodesInDCs). Plans do not change the node table, so the list is computed
/// once per node table and datacenter set and shared by every evaluation that reads that table.
/// </summary>
public static class ReadyNodes
{
    private static readonly ConditionalWeakTable<ImmutableSortedDictionary<string, Node>, ConcurrentDictionary<string, Node[]>> Cache = new();

    public static Node[] InDatacenters(ImmutableSortedDictionary<string, Node> nodes, IReadOnlyList<string> datacenters)
    {
        var byDcs = Cache.GetValue(nodes, _ => new ConcurrentDictionary<string, Node[]>(StringComparer.Ordinal));
        var key = string.Join('\n', datacenters);
        return byDcs.GetOrAdd(key, _ =>
        {
            var dcs = new HashSet<string>(datacenters, StringComparer.Ordinal);
            var list = new List<Node>();
            foreach (var n in nodes.Values)
                if (n.IsSchedulable && dcs.Contains(n.Datacenter)) list.Add(n);
            return list.ToArray();
        });
    }

    /// <summary>Ready nodes per datacenter, for the metrics' NodesAvailable.</summary>
    public static Dictionary<string, int> CountByDatacenter(Node[] nodes)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in nodes) counts[n.Datacenter] = counts.TryGetValue(n.Datacenter, out var c) ? c + 1 : 1;
        return counts;
    }
}
