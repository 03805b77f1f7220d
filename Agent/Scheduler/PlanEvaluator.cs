using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// The plan applier's check (Nomad's evaluatePlan): against the latest state, a node's part of a plan is
/// accepted only if the node still exists, is up, and everything that would run on it afterwards fits.
/// Stops are always accepted. Pure: the caller writes the result.
/// </summary>
public static class PlanEvaluator
{
    public static PlanResult Evaluate(StateSnapshot state, Plan plan)
    {
        var accepted = new Dictionary<string, List<Allocation>>();
        var rejected = false;
        foreach (var (nodeId, placements) in plan.NodeAllocation)
        {
            if (NodeFits(state, plan, nodeId, placements)) accepted[nodeId] = placements;
            else rejected = true;
        }
        if (rejected && plan.AllAtOnce) accepted.Clear();
        // Evictions go with the placements they make room for: a rejected node keeps its allocations.
        var preemptions = plan.NodePreemptions.Where(kv => accepted.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return new PlanResult
        {
            NodeUpdate = rejected && plan.AllAtOnce ? new() : plan.NodeUpdate,
            NodeAllocation = accepted,
            NodePreemptions = preemptions,
            RefreshIndex = rejected ? state.Index : 0,
        };
    }

    private static bool NodeFits(StateSnapshot state, Plan plan, string nodeId, List<Allocation> placements)
    {
        var node = state.NodeById(nodeId);
        if (node is null || node.Status != NodeStatus.Ready) return false;
        // A node that is draining or ineligible takes no new allocations, but in-place updates of ones already there are fine.
        if (!node.IsSchedulable && placements.Any(p => state.AllocById(p.ID) is null)) return false;

        var removed = new HashSet<string>(plan.NodeUpdate.TryGetValue(nodeId, out var stops) ? stops.Select(s => s.AllocID) : []);
        foreach (var p in placements) removed.Add(p.ID);
        if (plan.NodePreemptions.TryGetValue(nodeId, out var evicted)) removed.UnionWith(evicted.Select(a => a.ID));
        var proposed = NodeAllocsCache.Live(state, nodeId).Where(a => !removed.Contains(a.ID)).Concat(placements);
        return NodeFit.Check(node, proposed).Fits;
    }

    /// <summary>The write for an accepted result.</summary>
    public static PlanApplyCommand ToCommand(Plan plan, PlanResult result, long nowNanos) => new(
        plan.EvalID,
        plan.Job,
        result.NodeAllocation.Values.SelectMany(a => a).Select(a => a with { Job = null }).ToList(),
        result.NodeUpdate.Values.SelectMany(s => s).Concat(Preemption.PreemptionWrites.Stops(result)).ToList(),
        nowNanos)
    {
        Evals = Preemption.PreemptionWrites.Evals(result, nowNanos),
    };
}
