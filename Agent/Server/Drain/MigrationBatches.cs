using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Drain;

/// <summary>
/// Which allocations on draining nodes the drainer marks for migration now (Nomad's drainingJobWatcher): for each
/// service group with a <c>migrate</c> block, as many as keep the group's healthy allocations at or above
/// <c>count - max_parallel</c>, so the next batch waits until the replacements of the last one report healthy.
/// Batch allocations are never marked (they may finish until the drain's deadline); system allocations are marked
/// only once nothing else is left on their node (system jobs go last). Pure: the drainer writes the result.
/// </summary>
public static class MigrationBatches
{
    public static List<Allocation> ToMark(StateSnapshot snap, IReadOnlyCollection<Node> draining)
    {
        var drainingIds = draining.Select(n => n.ID).ToHashSet(StringComparer.Ordinal);
        var marks = new List<Allocation>();
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in draining)
        {
            var remaining = Remaining(snap, node).ToList();
            foreach (var a in remaining)
                if (a.Job?.Type == JobType.Service) jobs.Add(a.JobID);
            // System allocations go once nothing but them is left (the drainer's last step).
            if (remaining.All(a => a.Job?.Type == JobType.System))
                marks.AddRange(remaining.Where(a => a.DesiredTransition.Migrate != true));
        }
        foreach (var jobId in jobs.Order(StringComparer.Ordinal))
        {
            if (snap.JobById(jobId) is not { } job) continue;
            var allocs = snap.AllocsForJob(jobId).ToList();
            foreach (var tg in job.TaskGroups)
            {
                var migrate = tg.Migrate ?? new MigrateStrategy();
                marks.AddRange(ForGroup(tg, migrate.MaxParallel, allocs.Where(a => a.TaskGroup == tg.Name), drainingIds));
            }
        }
        return marks;
    }

    /// <summary>What is still to leave a draining node (system allocations too, unless the drain ignores them).</summary>
    public static IEnumerable<Allocation> Remaining(StateSnapshot snap, Node node) =>
        snap.AllocsForNode(node.ID).Where(a => !a.IsTerminal && !(node.DrainStrategy!.IgnoreSystemJobs && a.Job?.Type == JobType.System));

    /// <summary>
    /// One service group: its allocations on every node, those to mark now. Healthy are the live allocations whose
    /// client reported a health (either way, as Nomad counts them) and that are not already marked: a marked one is
    /// on its way out, so counting it would let a second batch start before the first one's replacements are healthy.
    /// </summary>
    public static IEnumerable<Allocation> ForGroup(TaskGroup tg, int maxParallel, IEnumerable<Allocation> allocs, IReadOnlySet<string> drainingNodes)
    {
        var healthy = 0;
        var drainable = new List<Allocation>();
        foreach (var a in allocs)
        {
            if (a.IsTerminal) continue;
            var marked = a.DesiredTransition.Migrate == true;
            if (!marked && a.DeploymentStatus is { HasHealth: true }) healthy++;
            if (drainingNodes.Contains(a.NodeID) && !marked) drainable.Add(a);
        }
        var toDrain = Math.Min(drainable.Count, healthy - (tg.Count - maxParallel));
        return toDrain <= 0 ? [] : drainable.OrderBy(a => a.Index).Take(toDrain);
    }
}
