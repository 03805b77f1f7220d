using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>Why a placement is made.</summary>
public enum PlacementReason { New, Lost, Migrate, Reschedule, Update }

/// <summary>One allocation to place: its group and name, and the allocation it replaces if any.</summary>
public sealed record PlacementRequest(TaskGroup Group, string Name, Allocation? Previous, PlacementReason Reason)
{
    /// <summary>For destructive updates: stop the previous allocation only if the replacement finds a node.</summary>
    public bool StopPreviousOnPlacement => Reason == PlacementReason.Update;
}

/// <summary>A stop decided by the reconciler.</summary>
public sealed record StopRequest(Allocation Alloc, string Description, string? ClientStatus = null);

/// <summary>What the reconciler wants done for one job.</summary>
public sealed class ReconcileResult
{
    public List<StopRequest> Stops { get; } = new();
    public List<Allocation> InPlaceUpdates { get; } = new();
    public List<PlacementRequest> Placements { get; } = new();
    /// <summary>Unix nanos at which failed allocations become due for rescheduling (one follow-up evaluation each).</summary>
    public SortedSet<long> FollowUpTimes { get; } = new();
}

/// <summary>
/// The generic (service and batch) reconciler: compares the allocations a job has with the ones it wants,
/// group by group and by name index (<c>job.group[i]</c>), and decides stops, in-place updates and placements.
/// </summary>
public static class GenericReconciler
{
    public const string AllocNotNeeded = "alloc not needed due to job update";
    public const string AllocJobStopped = "alloc not needed as job is stopped";
    public const string AllocUpdating = "alloc is being updated due to job update";
    public const string AllocLost = "alloc is lost since its node is down";
    public const string AllocMigrating = "alloc is being migrated";

    private enum SlotKind { Live, Terminal, Replace }

    private sealed record Slot(Allocation Alloc, SlotKind Kind, PlacementReason Reason = PlacementReason.New);

    public static ReconcileResult Reconcile(StateSnapshot state, Job? job, string jobId, long now)
    {
        var result = new ReconcileResult();
        var byGroup = new Dictionary<string, List<Allocation>>(StringComparer.Ordinal);
        foreach (var a in state.AllocsForJob(jobId))
        {
            if (!byGroup.TryGetValue(a.TaskGroup, out var list)) byGroup[a.TaskGroup] = list = new();
            list.Add(a);
        }

        if (job is null || job.Stop)
        {
            foreach (var list in byGroup.Values)
                foreach (var a in list)
                    if (!a.IsTerminal) result.Stops.Add(new StopRequest(a, AllocJobStopped));
            return result;
        }

        var updates = new GroupUpdate(job);
        foreach (var tg in job.TaskGroups)
            ReconcileGroup(state, job, tg, byGroup.TryGetValue(tg.Name, out var l) ? l : [], now, updates, result);
        // Groups the job no longer has.
        foreach (var (name, list) in byGroup)
            if (!job.TaskGroups.Any(g => g.Name == name))
                foreach (var a in list)
                    if (!a.IsTerminal) result.Stops.Add(new StopRequest(a, AllocNotNeeded));
        return result;
    }

    private static void ReconcileGroup(StateSnapshot state, Job job, TaskGroup tg, List<Allocation> allocs, long now,
        GroupUpdate updates, ReconcileResult result)
    {
        var batch = job.Type == JobType.Batch;
        var slots = new List<Slot>(allocs.Count);
        foreach (var a in allocs)
        {
            if (a.DesiredStatus != AllocDesiredStatus.Run) continue;        // the servers already stopped it
            switch (a.ClientStatus)
            {
                case AllocClientStatus.Complete:
                    // A finished batch allocation did its work and keeps its slot; a service's is replaced.
                    if (batch) slots.Add(new Slot(a, SlotKind.Terminal));
                    continue;
                case AllocClientStatus.Lost:
                    continue;
                case AllocClientStatus.Failed:
                    if (a.NextAllocation.Length > 0) continue;              // already replaced
                    slots.Add(FailedSlot(state, job, tg, a, now, result));
                    continue;
            }
            var node = state.NodeById(a.NodeID);
            if (node is null || node.Status == NodeStatus.Down)
            {
                result.Stops.Add(new StopRequest(a, AllocLost, AllocClientStatus.Lost));
                slots.Add(new Slot(a, SlotKind.Replace, PlacementReason.Lost));
            }
            else if (node.Drain && a.DesiredTransition.Migrate == true)
            {
                // Only what the drainer marked moves (in migrate's batches); the rest stays until it is marked.
                result.Stops.Add(new StopRequest(a, AllocMigrating));
                slots.Add(new Slot(a, SlotKind.Replace, PlacementReason.Migrate));
            }
            else slots.Add(new Slot(a, SlotKind.Live));
        }

        // Too many: give up the highest indexes first (a replacement not made, a live allocation stopped).
        if (slots.Count > tg.Count)
        {
            slots.Sort((x, y) => y.Alloc.Index.CompareTo(x.Alloc.Index));
            var excess = slots.Count - tg.Count;
            for (var i = 0; i < excess; i++)
                if (slots[i].Kind == SlotKind.Live) result.Stops.Add(new StopRequest(slots[i].Alloc, AllocNotNeeded));
            slots.RemoveRange(0, excess);
        }

        var used = new HashSet<int>();
        foreach (var s in slots)
        {
            used.Add(s.Alloc.Index);
            switch (s.Kind)
            {
                case SlotKind.Replace:
                    result.Placements.Add(new PlacementRequest(tg, s.Alloc.Name, s.Alloc, s.Reason));
                    break;
                case SlotKind.Live:
                    switch (updates.For(s.Alloc, tg))
                    {
                        case GroupUpdate.Kind.InPlace:
                            result.InPlaceUpdates.Add(s.Alloc with { Job = job });
                            break;
                        case GroupUpdate.Kind.Destructive:
                            result.Placements.Add(new PlacementRequest(tg, s.Alloc.Name, s.Alloc, PlacementReason.Update));
                            break;
                    }
                    break;
            }
        }

        // Missing: the lowest free indexes.
        var missing = tg.Count - slots.Count;
        for (var i = 0; missing > 0; i++)
        {
            if (used.Contains(i)) continue;
            result.Placements.Add(new PlacementRequest(tg, Allocation.MakeName(job.ID, tg.Name, i), null, PlacementReason.New));
            missing--;
        }
    }

    /// <summary>A failed allocation: replaced now, later (a follow-up evaluation), or never (its slot is kept).</summary>
    private static Slot FailedSlot(StateSnapshot state, Job job, TaskGroup tg, Allocation a, long now, ReconcileResult result)
    {
        var policy = PolicyOf(a, tg) ?? ReschedulePolicy.ForJobType(job.Type);
        if (!Rescheduling.Allowed(policy, a, now)) return new Slot(a, SlotKind.Terminal);
        var due = Rescheduling.FailTime(a) + Rescheduling.NextDelay(policy!, a);
        if (due <= now + Rescheduling.WindowNanos) return new Slot(a, SlotKind.Replace, PlacementReason.Reschedule);
        result.FollowUpTimes.Add(due);
        return new Slot(a, SlotKind.Terminal);
    }

    /// <summary>The reschedule policy the allocation was placed under (the group's in the job it runs).</summary>
    public static ReschedulePolicy? PolicyOf(Allocation a, TaskGroup current)
    {
        var own = a.Job?.TaskGroups.FirstOrDefault(g => g.Name == a.TaskGroup);
        return own is not null ? own.ReschedulePolicy : current.ReschedulePolicy;
    }
}
