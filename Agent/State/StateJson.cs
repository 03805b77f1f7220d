using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>JSON settings for everything the state writes to the Raft log and snapshots.</summary>
public static class StateJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitLegacyResources } },
    };

    /// <summary>
    /// The legacy <c>Resources</c> objects nodes and allocations show in the API are derived from the fields beside
    /// them and never read back: the log and snapshots need not carry a second copy of every allocation's resources.
    /// </summary>
    private static void OmitLegacyResources(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            if (p.Set is null && (p.PropertyType == typeof(LegacyResources) || p.PropertyType == typeof(Dictionary<string, LegacyResources>)))
                info.Properties.RemoveAt(i);
        }
    }
}

/// <summary>The on-disk shape of a state snapshot (immutable collections flattened to lists; indexes rebuilt on load).</summary>
public sealed record StateSnapshotFile(ulong Index, List<Node> Nodes, Dictionary<string, ulong> TableIndexes)
{
    public List<Job> Jobs { get; init; } = new();
    public List<Evaluation> Evals { get; init; } = new();
    public List<Allocation> Allocs { get; init; } = new();
    public List<PeriodicLaunch> PeriodicLaunches { get; init; } = new();
    /// <summary>Every tracked version of every job (newest first per job).</summary>
    public List<Job> JobVersions { get; init; } = new();
    public List<Deployment> Deployments { get; init; } = new();
    /// <summary>Per node, the index its allocations last changed at (removals included), for clients' blocking queries.</summary>
    public Dictionary<string, ulong> AllocsChangedByNode { get; init; } = new();
    public SchedulerConfiguration? SchedulerConfig { get; init; }

    public static StateSnapshotFile From(StateSnapshot s) =>
        new(s.Index, s.Nodes.Values.ToList(), s.TableIndexes.ToDictionary())
        {
            Jobs = s.Jobs.Values.ToList(),
            Evals = s.Evals.Values.ToList(),
            Allocs = s.Allocs.Values.ToList(),
            PeriodicLaunches = s.PeriodicLaunches.Values.ToList(),
            JobVersions = s.JobVersions.Values.SelectMany(v => v).ToList(),
            Deployments = s.Deployments.Values.ToList(),
            AllocsChangedByNode = s.AllocsChangedByNode.ToDictionary(),
            SchedulerConfig = s.SchedulerConfig,
        };

    public StateSnapshot ToSnapshot() => new()
    {
        Index = Index,
        Nodes = Nodes.ToImmutableSortedDictionary(n => n.ID, n => n),
        Jobs = Jobs.ToImmutableSortedDictionary(j => j.ID, j => j),
        Evals = Evals.ToImmutableSortedDictionary(e => e.ID, e => e),
        Allocs = Allocs.ToImmutableSortedDictionary(a => a.ID, a => a),
        PeriodicLaunches = PeriodicLaunches.ToImmutableSortedDictionary(l => l.ID, l => l),
        JobVersions = JobVersions.GroupBy(j => j.ID)
            .ToImmutableDictionary(g => g.Key, g => g.OrderByDescending(j => j.Version).ToImmutableList()),
        Deployments = Deployments.ToImmutableSortedDictionary(d => d.ID, d => d),
        DeploymentsByJob = Group(Deployments, d => d.JobID, d => d.ID),
        AllocsByNode = Group(Allocs, a => a.NodeID, a => a.ID),
        AllocsByJob = Group(Allocs, a => a.JobID, a => a.ID),
        EvalsByJob = Group(Evals, e => e.JobID, e => e.ID),
        JobsByParent = Group(Jobs.Where(j => j.ParentID.Length > 0).ToList(), j => j.ParentID, j => j.ID),
        AllocsChangedByNode = AllocsChangedByNode.ToImmutableDictionary(),
        TableIndexes = TableIndexes.ToImmutableDictionary(),
        SchedulerConfig = SchedulerConfig,
    };

    private static ImmutableDictionary<string, ImmutableHashSet<string>> Group<T>(List<T> items, Func<T, string> key, Func<T, string> id) =>
        items.GroupBy(key).ToImmutableDictionary(g => g.Key, g => g.Select(id).ToImmutableHashSet());
}
