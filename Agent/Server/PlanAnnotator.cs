using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// What a dry run's plans would do, per task group (Nomad's DesiredTGUpdates), and the job diff annotations
/// derived from it (Nomad's scheduler/annotate.go).
/// </summary>
public static class PlanAnnotator
{
    /// <param name="before">The state the dry run started from (which allocations already existed).</param>
    /// <param name="failed">The evaluation's failed placements: Nomad counts them as "create" too (the reconciler
    /// decided to place them before the scheduler found no room).</param>
    public static Dictionary<string, DesiredUpdates> DesiredUpdates(Job job, StateSnapshot before, IEnumerable<Plan> plans,
        IReadOnlyDictionary<string, AllocMetric>? failed = null)
    {
        var result = job.TaskGroups.ToDictionary(g => g.Name, _ => new DesiredUpdates());
        DesiredUpdates For(string group) => result.TryGetValue(group, out var d) ? d : result[group] = new DesiredUpdates();

        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            var stopped = plan.NodeUpdate.Values.SelectMany(s => s).Select(s => s.AllocID).ToHashSet(StringComparer.Ordinal);
            var replaced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var alloc in plan.NodeAllocation.Values.SelectMany(a => a))
            {
                var updates = For(alloc.TaskGroup);
                if (before.AllocById(alloc.ID) is not null)
                {
                    updates.InPlaceUpdate++;
                    touched.Add(alloc.ID);
                }
                else if (alloc.PreviousAllocation.Length > 0 && stopped.Contains(alloc.PreviousAllocation))
                {
                    // A destructive update stops the old allocation and places its replacement in the same plan.
                    updates.DestructiveUpdate++;
                    replaced.Add(alloc.PreviousAllocation);
                }
                else
                {
                    updates.Place++;
                }
            }
            foreach (var id in stopped)
            {
                touched.Add(id);
                if (replaced.Contains(id) || before.AllocById(id) is not { } alloc) continue;
                For(alloc.TaskGroup).Stop++;
            }
        }

        foreach (var (group, metric) in failed ?? new Dictionary<string, AllocMetric>())
            For(group).Place += (ulong)(1 + metric.CoalescedFailures);

        // Running allocations the plan leaves alone.
        foreach (var alloc in before.AllocsForJob(job.ID))
            if (!alloc.IsTerminal && !touched.Contains(alloc.ID) && result.TryGetValue(alloc.TaskGroup, out var d))
                d.Ignore++;
        return result;
    }

    /// <summary>Nomad's annotateTaskGroups: each group's update counts, and each task's "forces ..." note.</summary>
    public static void Annotate(JobDiff diff, Dictionary<string, DesiredUpdates> desired)
    {
        foreach (var group in diff.TaskGroups)
        {
            desired.TryGetValue(group.Name, out var d);
            if (d is not null)
            {
                var updates = new Dictionary<string, ulong>
                {
                    ["ignore"] = d.Ignore,
                    ["create"] = d.Place,
                    ["migrate"] = d.Migrate,
                    ["destroy"] = d.Stop,
                    ["in-place update"] = d.InPlaceUpdate,
                    ["create/destroy update"] = d.DestructiveUpdate,
                    ["canary"] = d.Canary,
                }.Where(kv => kv.Value > 0).ToDictionary();
                if (updates.Count > 0) group.Updates = updates;
            }
            foreach (var task in group.Tasks)
            {
                task.Annotations = task.Type switch
                {
                    DiffType.Added => ["forces create"],
                    DiffType.Deleted => ["forces destroy"],
                    DiffType.Edited when d is { DestructiveUpdate: 0, InPlaceUpdate: > 0 } => ["forces in-place update"],
                    DiffType.Edited => ["forces create/destroy update"],
                    _ => null,
                };
            }
        }
    }
}
