using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Preemption;

/// <summary>The schedulers' one call into preemption when a node lacks CPU, memory or disk for a placement.</summary>
public static class PreemptionStep
{
    /// <summary>
    /// When the scheduler configuration lets <paramref name="job"/>'s type preempt: evicts (in the plan) what makes
    /// <paramref name="g"/> fit on the node for the allocation <paramref name="allocId"/>; null when nothing was evicted.
    /// </summary>
    public static List<Allocation>? TryPreempt(PlacementContext ctx, NodeUsage usage, GroupPlan g, Job job, string allocId)
    {
        if (!ctx.State.SchedulerConfigOrDefault.PreemptionEnabled(job.Type)) return null;
        if (usage.Fits(g.Ask) is not ("cpu" or "memory" or "disk")) return null;      // ports are not preempted for
        return ctx.TryPreempt(usage, g, job.Priority, allocId);
    }

    /// <summary>The placed allocation with the ID its evictions name and the list of what it preempted.</summary>
    public static Allocation Mark(Allocation placed, string allocId, List<Allocation>? victims) =>
        victims is null ? placed : placed with { ID = allocId, PreemptedAllocations = victims.Select(v => v.ID).ToList() };
}
