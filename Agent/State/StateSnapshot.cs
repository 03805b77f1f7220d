using System.Collections.Immutable;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>
/// One immutable version of the server state. Readers hold a snapshot for as long as they like;
/// the FSM publishes a new one per applied command, so reads never block writes.
/// </summary>
public sealed record StateSnapshot
{
    public static readonly StateSnapshot Empty = new();

    /// <summary>The Raft index of the last command applied.</summary>
    public ulong Index { get; init; }

    public ImmutableSortedDictionary<string, Node> Nodes { get; init; } = ImmutableSortedDictionary<string, Node>.Empty;

    /// <summary>The index at which each table last changed, for blocking queries (X-Nomad-Index).</summary>
    public ImmutableDictionary<string, ulong> TableIndexes { get; init; } = ImmutableDictionary<string, ulong>.Empty;

    public ulong TableIndex(string table) => TableIndexes.TryGetValue(table, out var i) ? i : 0;

    public Node? NodeById(string id) => Nodes.TryGetValue(id, out var n) ? n : null;

    /// <summary>Nodes whose ID starts with <paramref name="prefix"/> (case-insensitive, as Nomad's prefix match on UUIDs).</summary>
    public IEnumerable<Node> NodesByPrefix(string prefix) =>
        Nodes.Values.Where(n => n.ID.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}

public static class Tables
{
    public const string Nodes = "nodes";
}
