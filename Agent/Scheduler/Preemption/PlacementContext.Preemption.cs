using Nomad.Agent.Scheduler.Preemption;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>Evictions within one scheduling attempt: they leave the node's usage as stops do, and go to the plan's NodePreemptions.</summary>
public sealed partial class PlacementContext
{
    /// <summary>The allocations <paramref name="node"/> would hold under the plan so far (placements included, stops and evictions not).</summary>
    public List<Allocation> LiveAllocs(Node node)
    {
        var live = NodeAllocsCache.Live(State, node.ID).Where(a => !_stopped.Contains(a.ID)).ToList();
        if (Plan.NodeAllocation.TryGetValue(node.ID, out var planned))
        {
            var ids = live.Select(a => a.ID).ToHashSet(StringComparer.Ordinal);
            live.AddRange(planned.Where(a => ids.Add(a.ID)));
        }
        return live;
    }

    /// <summary>Every allocation the plan evicts so far (for the max_parallel penalty).</summary>
    public IEnumerable<Allocation> Preempted => Plan.NodePreemptions.Values.SelectMany(l => l);

    /// <summary>
    /// Finds what to evict on <paramref name="usage"/>'s node so that <paramref name="g"/> fits (a job
    /// <see cref="Preemptor.PriorityDelta"/> lower or more), and evicts it in the plan for the allocation
    /// <paramref name="byAllocId"/>; null (and nothing changed) when no such set exists.
    /// </summary>
    public List<Allocation>? TryPreempt(NodeUsage usage, GroupPlan g, int jobPriority, string byAllocId)
    {
        var capacity = new ResourceAmount(usage.CpuCapacity, usage.MemoryCapacity, usage.DiskCapacity);
        var victims = Preemptor.Select(jobPriority, capacity, LiveAllocs(usage.Node), ResourceAmount.Of(g.Ask), Preempted);
        if (victims is not { Count: > 0 }) return null;
        foreach (var v in victims)
        {
            _stopped.Add(v.ID);
            if (!Plan.NodePreemptions.TryGetValue(v.NodeID, out var list)) Plan.NodePreemptions[v.NodeID] = list = new();
            list.Add(v with { DesiredStatus = AllocDesiredStatus.Evict, DesiredDescription = PreemptionWrites.Description(byAllocId), PreemptedByAllocation = byAllocId });
            usage.Remove(v, JobID);
            // The property trackers count this job's allocations only; a victim of another job is not among them.
            if (v.JobID == JobID) foreach (var t in _properties.Values) t.Remove(v);
        }
        return victims;
    }

    /// <summary>Takes back evictions whose placement failed after all (e.g. no port).</summary>
    public void UndoPreempt(List<Allocation> victims)
    {
        foreach (var v in victims)
        {
            if (!_stopped.Remove(v.ID)) continue;
            var list = Plan.NodePreemptions[v.NodeID];
            list.RemoveAll(a => a.ID == v.ID);
            if (list.Count == 0) Plan.NodePreemptions.Remove(v.NodeID);
            UsageOf(State.NodeById(v.NodeID)!).Add(v, JobID);
            if (v.JobID == JobID) foreach (var t in _properties.Values) t.Add(v);
        }
    }
}
