using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Preemption;

/// <summary>
/// For service and batch jobs when the scheduler configuration allows it: once no candidate node fits a placement
/// as it is, the feasible node where evicting lower-priority allocations costs least (the lowest highest evicted
/// priority, then the fewest evictions) - Nomad ranks preempting nodes below fitting ones in the same way.
/// </summary>
public static class PreemptingSelector
{
    public static (NodeUsage Usage, List<Allocation> Victims)? Select(PlacementContext ctx, GroupPlan g, Job job, IReadOnlyList<Node> candidates, string allocId)
    {
        if (!ctx.State.SchedulerConfigOrDefault.PreemptionEnabled(job.Type)) return null;
        NodeUsage? best = null;
        (int MaxPriority, int Count) bestCost = (int.MaxValue, int.MaxValue);
        foreach (var node in candidates)
        {
            if (g.Feasibility.Check(node) is not null) continue;
            var usage = ctx.UsageOf(node);
            if (ctx.CheckPlacementConstraints(g, usage) is not null) continue;
            if (usage.Fits(g.Ask) is not ("cpu" or "memory" or "disk")) continue;
            var capacity = new ResourceAmount(usage.CpuCapacity, usage.MemoryCapacity, usage.DiskCapacity);
            var victims = Preemptor.Select(job.Priority, capacity, ctx.LiveAllocs(node), ResourceAmount.Of(g.Ask), ctx.Preempted);
            if (victims is not { Count: > 0 }) continue;
            var cost = (victims.Max(v => v.Job!.Priority), victims.Count);
            if (cost.CompareTo(bestCost) < 0) (best, bestCost) = (usage, cost);
        }
        if (best is null) return null;
        var evicted = ctx.TryPreempt(best, g, job.Priority, allocId);
        return evicted is null ? null : (best, evicted);
    }
}
