using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// A node's non-terminal allocations, resolved once and reused by later snapshots until the node's allocations
/// change (<see cref="StateSnapshot.AllocsChangedByNode"/>). Resolving means a lookup per allocation in the
/// allocation table, which dominated scheduling on large clusters; most nodes a placement visits have not
/// changed since the last evaluation looked at them. Keyed by the node's allocation-ID set, which is a new
/// object whenever allocations are added or removed, and by the change index for status changes.
/// </summary>
public static class NodeAllocsCache
{
    private sealed record Entry(ulong Version, Allocation[] Live);

    private static readonly ConditionalWeakTable<ImmutableHashSet<string>, Entry> Cache = new();

    public static Allocation[] Live(StateSnapshot state, string nodeId)
    {
        if (!state.AllocsByNode.TryGetValue(nodeId, out var ids) || ids.IsEmpty) return [];
        var version = state.AllocsChangedIndex(nodeId);
        if (!state.Trial && Cache.TryGetValue(ids, out var entry) && entry.Version == version) return entry.Live;
        var live = new List<Allocation>(ids.Count);
        foreach (var id in ids)
            if (state.Allocs.TryGetValue(id, out var a) && !a.IsTerminal) live.Add(a);
        var result = live.ToArray();
        if (!state.Trial) Cache.AddOrUpdate(ids, new Entry(version, result));
        return result;
    }
}
