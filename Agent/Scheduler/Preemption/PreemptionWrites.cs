using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Preemption;

/// <summary>
/// What the plan applier writes for the evictions it accepted (Nomad's plan apply): each evicted allocation gets the
/// desired status <c>evict</c> and <c>PreemptedByAllocation</c>, and each job that lost allocations gets an
/// evaluation (triggered by "preemption") so its scheduler places them again.
/// </summary>
public static class PreemptionWrites
{
    public static string Description(string byAllocId) => $"Preempted by alloc ID {byAllocId}";

    public static IEnumerable<AllocStop> Stops(PlanResult result) =>
        result.NodePreemptions.Values.SelectMany(l => l).Select(a =>
            new AllocStop(a.ID, Description(a.PreemptedByAllocation), null, AllocDesiredStatus.Evict) { PreemptedBy = a.PreemptedByAllocation });

    public static List<Evaluation>? Evals(PlanResult result, long now)
    {
        var jobs = result.NodePreemptions.Values.SelectMany(l => l).Where(a => a.Job is not null)
            .GroupBy(a => a.JobID).Select(g => g.First().Job!).ToList();
        return jobs.Count == 0 ? null : jobs.Select(j => Evaluation.ForJob(j, EvalTrigger.Preemption, now)).ToList();
    }
}
