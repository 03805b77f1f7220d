using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The evaluations a node change calls for (Nomad's createNodeEvals): one per job with allocations on the
/// node, so the scheduler can mark them lost or move them, plus one per system and sysbatch job, which run on every node.
/// </summary>
public static class NodeEvals
{
    public static List<Evaluation> For(StateSnapshot s, string nodeId, ulong nodeModifyIndex, long nowNanos)
    {
        var evals = new List<Evaluation>();
        var seen = new HashSet<string>();
        foreach (var alloc in s.AllocsForNode(nodeId))
        {
            if (!seen.Add(alloc.JobID)) continue;
            if (s.JobById(alloc.JobID) is { } job) evals.Add(Make(job, nodeId, nodeModifyIndex, nowNanos));
        }
        foreach (var job in s.Jobs.Values)
            if (JobType.OnEveryNode(job.Type) && !job.Stop && seen.Add(job.ID))
                evals.Add(Make(job, nodeId, nodeModifyIndex, nowNanos));
        return evals;
    }

    private static Evaluation Make(Job job, string nodeId, ulong nodeModifyIndex, long now) =>
        Evaluation.ForJob(job, EvalTrigger.NodeUpdate, now) with { NodeID = nodeId, NodeModifyIndex = nodeModifyIndex };
}
