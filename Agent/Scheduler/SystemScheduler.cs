using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Scheduler.Ranking;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Nomad's system scheduler: one allocation of every task group on every feasible, schedulable node.
/// Allocations on nodes that went down are lost; those the drainer marked for migration stop (it marks them
/// last on a draining node, unless the drain ignores system jobs); on nodes that no longer satisfy the job they stop. Reschedule policies do not apply.
/// For sysbatch jobs an allocation that finished (or failed) on a node is not placed there again unless the
/// job changed destructively since: each node runs the job once.
/// </summary>
public sealed class SystemScheduler(StateSnapshot state, IPlanner planner, Logger log, bool sysbatch = false) : SchedulerBase(state, planner, log)
{
    private readonly Random _random = new();

    protected override int MaxAttempts => 5;
    protected override bool BlocksOnFailure => false;

    protected override AttemptOutcome Attempt(Evaluation eval, StateSnapshot state, long now)
    {
        var job = state.JobById(eval.JobID);
        var plan = NewPlan(eval, job, state);
        var outcome = new AttemptOutcome(plan);
        var ctx = new PlacementContext(state, plan, job, eval.JobID, _random);

        var live = new List<Allocation>();
        // sysbatch: the newest finished allocation per node and group.
        var finished = new Dictionary<(string Node, string Group), Allocation>();
        foreach (var a in state.AllocsForJob(eval.JobID))
        {
            if (!a.IsTerminal) live.Add(a);
            else if (sysbatch && (!finished.TryGetValue((a.NodeID, a.TaskGroup), out var f) || f.CreateIndex < a.CreateIndex))
                finished[(a.NodeID, a.TaskGroup)] = a;
        }

        if (job is null || job.Stop)
        {
            foreach (var a in live) Stop(ctx, outcome, a, GenericReconciler.AllocJobStopped);
            return outcome;
        }

        // Live allocations by node and group; those whose node is gone, down or draining stop first.
        var byNode = new Dictionary<string, Dictionary<string, List<Allocation>>>(StringComparer.Ordinal);
        foreach (var a in live)
        {
            var node = state.NodeById(a.NodeID);
            if (node is null || node.Status == NodeStatus.Down) { Stop(ctx, outcome, a, GenericReconciler.AllocLost, AllocClientStatus.Lost); continue; }
            // The drainer marks system allocations last, once nothing else is left on their node.
            // A mark left from a drain that was cancelled moves nothing, as Nomad's tainted-node filter.
            if (node.Drain && a.DesiredTransition.Migrate == true) { Stop(ctx, outcome, a, GenericReconciler.AllocMigrating); continue; }
            if (!job.TaskGroups.Any(g => g.Name == a.TaskGroup)) { Stop(ctx, outcome, a, GenericReconciler.AllocNotNeeded); continue; }
            if (!byNode.TryGetValue(a.NodeID, out var groups)) byNode[a.NodeID] = groups = new(StringComparer.Ordinal);
            if (!groups.TryGetValue(a.TaskGroup, out var list)) groups[a.TaskGroup] = list = new();
            list.Add(a);
        }

        var dcs = new HashSet<string>(job.Datacenters, StringComparer.Ordinal);
        foreach (var tg in job.TaskGroups) outcome.Groups[tg.Name] = new GroupPlan(job, tg, 1);
        var updates = new GroupUpdate(job);
        foreach (var node in state.Nodes.Values)
        {
            if (node.Status == NodeStatus.Down || Drains(node)) continue;
            byNode.TryGetValue(node.ID, out var groups);
            foreach (var tg in job.TaskGroups)
            {
                var g = outcome.Groups[tg.Name];
                var existing = groups is not null && groups.TryGetValue(tg.Name, out var l) ? l : null;
                var feasible = dcs.Contains(node.Datacenter) && g.Feasibility.Check(node) is null;
                if (existing is not null)
                {
                    if (!feasible)
                    {
                        foreach (var a in existing) Stop(ctx, outcome, a, GenericReconciler.AllocNotNeeded);
                        continue;
                    }
                    for (var i = 1; i < existing.Count; i++) Stop(ctx, outcome, existing[i], GenericReconciler.AllocNotNeeded);
                    var keep = existing[0];
                    switch (updates.For(keep, tg))
                    {
                        case GroupUpdate.Kind.InPlace:
                            plan.AppendAlloc(keep with { Job = job });
                            outcome.InPlace++;
                            break;
                        // A node that takes no new allocations keeps the old one rather than losing it.
                        case GroupUpdate.Kind.Destructive when node.IsSchedulable:
                            ctx.Stop(keep, GenericReconciler.AllocUpdating);
                            if (!TryPlace(eval, job, ctx, g, node, keep, outcome)) ctx.UndoStop(keep);
                            break;
                    }
                }
                else if (feasible && node.IsSchedulable)
                {
                    var done = finished.GetValueOrDefault((node.ID, tg.Name));
                    if (done is null) TryPlace(eval, job, ctx, g, node, null, outcome);
                    // Ran once already: again only for a job version that needs a new allocation.
                    else if (done.Job?.JobModifyIndex != job.JobModifyIndex && updates.For(done, tg) == GroupUpdate.Kind.Destructive)
                        TryPlace(eval, job, ctx, g, node, done, outcome);
                }
            }
        }
        return outcome;
    }

    private static bool Drains(Node node) => node.Drain && node.DrainStrategy is not { IgnoreSystemJobs: true };

    private static void Stop(PlacementContext ctx, AttemptOutcome outcome, Allocation a, string why, string? clientStatus = null)
    {
        ctx.Stop(a, why, clientStatus);
        outcome.Stopped++;
    }

    private bool TryPlace(Evaluation eval, Job job, PlacementContext ctx, GroupPlan g, Node node, Allocation? previous, AttemptOutcome outcome)
    {
        var metrics = new MetricsBuilder { NodesEvaluated = 1 };
        var usage = ctx.UsageOf(node);
        var reason = ctx.CheckPlacementConstraints(g, usage);
        if (reason is not null) metrics.Filter(node, reason);
        var dim = reason is null ? usage.Fits(g.Ask) : null;
        var allocId = Guid.NewGuid().ToString();
        var victims = dim is not null ? Preemption.PreemptionStep.TryPreempt(ctx, usage, g, job, allocId) : null;
        if (victims is not null) dim = usage.Fits(g.Ask);
        if (dim is not null) metrics.Exhaust(node, dim);
        var resources = reason is null && dim is null ? PortAssigner.Build(g.Ask, usage, _random) : null;
        if (resources is null)
        {
            if (victims is not null) ctx.UndoPreempt(victims);
            if (reason is null && dim is null) metrics.Exhaust(node, "network: dynamic port selection failed");
            if (g.Failure is null) g.Failure = metrics;
            else g.Failure.CoalescedFailures++;
            g.FailedCount++;
            return false;
        }
        NodeScoring.RecordBinPackOnly(usage, g, metrics);
        var name = previous?.Name ?? Allocation.MakeName(job.ID, g.Group.Name, 0);
        ctx.Place(Preemption.PreemptionStep.Mark(NewAlloc(eval, job, g, name, node, resources, metrics.Build(), previous, null), allocId, victims));
        outcome.Placed++;
        return true;
    }
}
