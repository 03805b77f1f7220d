using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// What a scheduler wants changed for one evaluation, by node: allocations to stop and allocations to
/// place (or update in place). Plans are optimistic: the plan applier at the leader checks each node
/// against the latest state and applies only the nodes that still fit.
/// </summary>
public sealed class Plan
{
    public required string EvalID { get; init; }
    public int Priority { get; init; }
    /// <summary>The job every placement runs (null when the job was purged and only stops remain).</summary>
    public Job? Job { get; init; }
    /// <summary>All or nothing: reject the whole plan if any node no longer fits.</summary>
    public bool AllAtOnce { get; init; }
    /// <summary>The state index the scheduler planned against.</summary>
    public ulong SnapshotIndex { get; init; }
    public Dictionary<string, List<AllocStop>> NodeUpdate { get; } = new();
    public Dictionary<string, List<Allocation>> NodeAllocation { get; } = new();
    /// <summary>Allocations evicted to make room for placements, by node (desired status evict, PreemptedByAllocation set).</summary>
    public Dictionary<string, List<Allocation>> NodePreemptions { get; } = new();

    public bool IsNoOp => NodeUpdate.Count == 0 && NodeAllocation.Count == 0 && NodePreemptions.Count == 0;

    public void AppendStop(Allocation alloc, string description, string? clientStatus = null)
    {
        if (!NodeUpdate.TryGetValue(alloc.NodeID, out var list)) NodeUpdate[alloc.NodeID] = list = new();
        list.Add(new AllocStop(alloc.ID, description, clientStatus));
    }

    public void AppendAlloc(Allocation alloc)
    {
        if (!NodeAllocation.TryGetValue(alloc.NodeID, out var list)) NodeAllocation[alloc.NodeID] = list = new();
        list.Add(alloc);
    }
}

/// <summary>What the plan applier did with a plan.</summary>
public sealed class PlanResult
{
    /// <summary>The stops that were applied, by node.</summary>
    public Dictionary<string, List<AllocStop>> NodeUpdate { get; init; } = new();
    /// <summary>The placements that were applied, by node.</summary>
    public Dictionary<string, List<Allocation>> NodeAllocation { get; init; } = new();
    /// <summary>The evictions that were applied, by node.</summary>
    public Dictionary<string, List<Allocation>> NodePreemptions { get; init; } = new();
    /// <summary>Non-zero when part of the plan was rejected: the scheduler must plan again on state at least this new.</summary>
    public ulong RefreshIndex { get; init; }
    /// <summary>The Raft index of the write (0 if nothing was written).</summary>
    public ulong AllocIndex { get; init; }
    /// <summary>When <see cref="RefreshIndex"/> is set: a snapshot at or past it to plan again on.</summary>
    public StateSnapshot? RefreshedState { get; init; }

    /// <summary>True when every stop and placement of <paramref name="plan"/> was applied.</summary>
    public bool FullyApplied(Plan plan) =>
        plan.NodeUpdate.Sum(kv => kv.Value.Count) == NodeUpdate.Sum(kv => kv.Value.Count)
        && plan.NodeAllocation.Sum(kv => kv.Value.Count) == NodeAllocation.Sum(kv => kv.Value.Count);
}
