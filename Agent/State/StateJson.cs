using System.Collections.Immutable;
using System.Text.Json;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>JSON settings for everything the state writes to the Raft log and snapshots.</summary>
public static class StateJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = null };
}

/// <summary>The on-disk shape of a state snapshot (immutable collections flattened to lists).</summary>
public sealed record StateSnapshotFile(ulong Index, List<Node> Nodes, Dictionary<string, ulong> TableIndexes)
{
    public static StateSnapshotFile From(StateSnapshot s) =>
        new(s.Index, s.Nodes.Values.ToList(), s.TableIndexes.ToDictionary());

    public StateSnapshot ToSnapshot() => new()
    {
        Index = Index,
        Nodes = Nodes.ToImmutableSortedDictionary(n => n.ID, n => n),
        TableIndexes = TableIndexes.ToImmutableDictionary(),
    };
}
