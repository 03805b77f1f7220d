using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// One scheduling attempt of one evaluation: the snapshot, the plan being built, and what each touched node
/// would hold under that plan. Stops and placements go through here so the per-node usage stays exact and
/// no node is ever overcommitted by the plan.
/// </summary>
public sealed partial class PlacementContext
{
    public StateSnapshot State { get; }
    public Plan Plan { get; }
    public Job? Job { get; }
    public string JobID { get; }
    public Random Random { get; }

    private readonly Dictionary<string, NodeUsage> _usage = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stopped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DistinctPropertyTracker> _properties = new(StringComparer.Ordinal);

    public PlacementContext(StateSnapshot state, Plan plan, Job? job, string jobId, Random random)
    {
        State = state;
        Plan = plan;
        Job = job;
        JobID = jobId;
        Random = random;
    }

    public bool IsStopped(string allocId) => _stopped.Contains(allocId);

    public void Stop(Allocation alloc, string description, string? clientStatus = null)
    {
        if (!_stopped.Add(alloc.ID)) return;
        Plan.AppendStop(alloc, description, clientStatus);
        if (_usage.TryGetValue(alloc.NodeID, out var u)) u.Remove(alloc, JobID);
        foreach (var t in _properties.Values) t.Remove(alloc);
    }

    /// <summary>Takes back the last stop of <paramref name="alloc"/> (its replacement found no node).</summary>
    public void UndoStop(Allocation alloc)
    {
        if (!_stopped.Remove(alloc.ID)) return;
        var list = Plan.NodeUpdate[alloc.NodeID];
        list.RemoveAt(list.FindLastIndex(s => s.AllocID == alloc.ID));
        if (list.Count == 0) Plan.NodeUpdate.Remove(alloc.NodeID);
        if (_usage.TryGetValue(alloc.NodeID, out var u)) u.Add(alloc, JobID);
        foreach (var t in _properties.Values) t.Add(alloc);
    }

    /// <summary>Adds a new (or replacing) allocation to the plan and to its node's usage.</summary>
    public void Place(Allocation alloc)
    {
        Plan.AppendAlloc(alloc);
        UsageOf(NodeOf(alloc)).Add(alloc, JobID);
        foreach (var t in _properties.Values) t.Add(alloc);
    }

    private Node NodeOf(Allocation alloc) => State.NodeById(alloc.NodeID) ?? throw new InvalidOperationException($"node {alloc.NodeID} not in state");

    public NodeUsage UsageOf(Node node)
    {
        if (_usage.TryGetValue(node.ID, out var u)) return u;
        u = new NodeUsage(node);
        HashSet<string>? counted = null;
        var planned = Plan.NodeAllocation.TryGetValue(node.ID, out var p) ? p : null;
        foreach (var a in NodeAllocsCache.Live(State, node.ID))
        {
            if (_stopped.Contains(a.ID)) continue;
            u.Add(a, JobID);
            if (planned is not null) (counted ??= new HashSet<string>(StringComparer.Ordinal)).Add(a.ID);
        }
        if (planned is not null)
            foreach (var a in planned)
                if (counted is null || !counted.Contains(a.ID)) u.Add(a, JobID);
        _usage[node.ID] = u;
        return u;
    }

    /// <summary>
    /// Null when one more allocation of <paramref name="g"/> may go on <paramref name="node"/> as far as the
    /// job's other allocations are concerned (distinct_hosts, distinct_property); else the metric key.
    /// </summary>
    public string? CheckPlacementConstraints(GroupPlan g, NodeUsage usage)
    {
        var f = g.Feasibility;
        if (f.DistinctHostsJob && usage.JobAllocs > 0) return ConstraintOperand.DistinctHosts;
        if (f.DistinctHostsGroup && usage.GroupAllocs(g.Group.Name) > 0) return ConstraintOperand.DistinctHosts;
        foreach (var (c, jobLevel) in f.DistinctProperties)
        {
            var tracker = PropertyTracker(c, jobLevel ? null : g.Group.Name);
            if (!tracker.Allows(usage.Node)) return ConstraintChecker.Describe(c);
        }
        return null;
    }

    /// <summary>The live allocations of <paramref name="group"/> per value of a node <paramref name="attribute"/>, kept current as the plan grows.</summary>
    public DistinctPropertyTracker PropertyCounts(string attribute, string group) =>
        PropertyTracker(new Constraint { LTarget = attribute }, group);

    private DistinctPropertyTracker PropertyTracker(Constraint c, string? group)
    {
        var key = $"{group}\n{c.LTarget}\n{c.RTarget}";
        if (_properties.TryGetValue(key, out var t)) return t;
        t = new DistinctPropertyTracker(c, group, State);
        foreach (var a in State.AllocsForJob(JobID))
            if (!a.IsTerminal && !_stopped.Contains(a.ID)) t.Add(a);
        foreach (var list in Plan.NodeAllocation.Values)
            foreach (var a in list)
                if (State.AllocById(a.ID) is null) t.Add(a);
        _properties[key] = t;
        return t;
    }
}
