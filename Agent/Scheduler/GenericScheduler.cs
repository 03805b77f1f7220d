using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Nomad's generic scheduler for service and batch jobs: reconcile the job's allocations with its groups'
/// counts, then place what is missing with bin-packing over feasible nodes.
/// </summary>
public sealed class GenericScheduler(StateSnapshot state, IPlanner planner, Logger log, bool batch) : SchedulerBase(state, planner, log)
{
    private readonly Random _random = new();

    protected override int MaxAttempts => batch ? 2 : 5;

    protected override AttemptOutcome Attempt(Evaluation eval, StateSnapshot state, long now)
    {
        var job = state.JobById(eval.JobID);
        var plan = NewPlan(eval, job, state);
        var outcome = new AttemptOutcome(plan);
        var ctx = new PlacementContext(state, plan, job, eval.JobID, _random);
        var rec = GenericReconciler.Reconcile(state, job, eval.JobID, now);
        outcome.FollowUpTimes = rec.FollowUpTimes;

        foreach (var s in rec.Stops) ctx.Stop(s.Alloc, s.Description, s.ClientStatus);
        outcome.Stopped = rec.Stops.Count;
        foreach (var a in rec.InPlaceUpdates) plan.AppendAlloc(a);
        outcome.InPlace = rec.InPlaceUpdates.Count;
        if (job is null || job.Stop) return outcome;

        var candidates = ReadyNodes.InDatacenters(state.Nodes, job.Datacenters);
        foreach (var tg in job.TaskGroups) outcome.Groups[tg.Name] = new GroupPlan(job, tg, candidates.Length);
        if (rec.Placements.Count == 0) return outcome;

        var selector = new NodeSelector(candidates, batch, _random);
        var available = ReadyNodes.CountByDatacenter(candidates);
        foreach (var dc in job.Datacenters) available.TryAdd(dc, 0);
        foreach (var p in rec.Placements)
        {
            var g = outcome.Groups[p.Group.Name];
            if (g.Failure is not null)
            {
                // Nomad stops trying a group after its first failure: the rest would fail the same way.
                g.Failure.CoalescedFailures++;
                g.FailedCount++;
                continue;
            }
            if (p.StopPreviousOnPlacement) ctx.Stop(p.Previous!, GenericReconciler.AllocUpdating);
            var metrics = new MetricsBuilder { NodesAvailable = available };
            var penalty = p.Reason == PlacementReason.Reschedule ? p.Previous!.NodeID : null;
            var pick = selector.Select(ctx, g, metrics, penalty);
            var allocId = Guid.NewGuid().ToString();
            var preempting = pick is null ? Preemption.PreemptingSelector.Select(ctx, g, job, candidates, allocId) : null;
            if (preempting is { } pr) pick = (pr.Usage, 0.0);
            var resources = pick is null ? null : PortAssigner.Build(g.Ask, pick.Value.Usage, _random);
            if (resources is null)
            {
                if (preempting is { } undo) ctx.UndoPreempt(undo.Victims);
                if (pick is not null) metrics.Exhaust(pick.Value.Usage.Node, "network: dynamic port selection failed");
                if (p.StopPreviousOnPlacement) ctx.UndoStop(p.Previous!);
                g.Failure = metrics;
                g.FailedCount++;
                continue;
            }
            RescheduleTracker? tracker = null;
            if (p.Reason == PlacementReason.Reschedule)
            {
                var policy = GenericReconciler.PolicyOf(p.Previous!, p.Group) ?? ReschedulePolicy.ForJobType(job.Type);
                tracker = Rescheduling.NextTracker(policy, p.Previous!, now, policy is null ? 0 : Rescheduling.NextDelay(policy, p.Previous!));
            }
            else if (p.Previous is not null)
                tracker = p.Previous.RescheduleTracker;
            ctx.Place(Preemption.PreemptionStep.Mark(NewAlloc(eval, job, g, p.Name, pick!.Value.Usage.Node, resources, metrics.Build(), p.Previous, tracker),
                allocId, preempting?.Victims));
            outcome.Placed++;
        }
        return outcome;
    }
}
