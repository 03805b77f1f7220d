using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Ranking;

/// <summary>
/// Nomad's ranking chain for one candidate node (binpack → job anti-affinity → rescheduling penalty → node affinity →
/// spread → normalization): the final score is the mean of the scores that apply. Each scored node is offered to the
/// placement's metrics, which keep the best few with their scores as Nomad records them (zeros for the anti-affinity,
/// penalty and, when the group has none, affinity scorers; spread only when it scored).
/// </summary>
public static class NodeScoring
{
    public const string BinPack = "binpack";
    public const string JobAntiAffinity = "job-anti-affinity";
    public const string ReschedulePenalty = "node-reschedule-penalty";
    public const string NodeAffinity = "node-affinity";
    public const string AllocationSpread = "allocation-spread";

    /// <summary>How many nodes a group with affinities or spreads scores per placement at least (Nomad's default node limit for them).</summary>
    public const int SoftPlacementNodeLimit = 100;

    /// <param name="ctx">the plan so far (spread counts); null scores without spreads.</param>
    /// <param name="metrics">receives the node's scores when they rank among the best; null records nothing.</param>
    public static double Score(PlacementContext? ctx, NodeUsage usage, GroupPlan g, string? penaltyNodeId, MetricsBuilder? metrics)
    {
        var node = usage.Node;
        var binpack = usage.BinPackScore(g.Ask);
        var sum = binpack;
        var n = 1;

        var collisions = usage.GroupAllocs(g.Group.Name);
        var antiAffinity = collisions > 0 ? -1.0 * (collisions + 1) / Math.Max(1, g.Group.Count) : 0;
        if (collisions > 0) { sum += antiAffinity; n++; }

        var penalty = penaltyNodeId is not null && node.ID == penaltyNodeId ? -1.0 : 0;
        if (penalty != 0) { sum += penalty; n++; }

        var affinity = g.Affinity.Score(node);
        if (affinity != 0) { sum += affinity; n++; }

        var spread = ctx is not null && g.Spread.Any ? g.Spread.Score(ctx, node) : 0;
        if (spread != 0) { sum += spread; n++; }

        var final = sum / n;
        if (metrics is not null && metrics.WouldKeep(final))
        {
            var scores = new Dictionary<string, double>(5, StringComparer.Ordinal)
            {
                [BinPack] = binpack, [JobAntiAffinity] = antiAffinity, [ReschedulePenalty] = penalty,
            };
            if (!g.Affinity.Any || affinity != 0) scores[NodeAffinity] = affinity;
            if (spread != 0) scores[AllocationSpread] = spread;
            metrics.ScoreNode(new NodeScoreMeta { NodeID = node.ID, Scores = scores, NormScore = final });
        }
        return final;
    }

    /// <summary>The system schedulers' chain: bin-packing alone.</summary>
    public static void RecordBinPackOnly(NodeUsage usage, GroupPlan g, MetricsBuilder metrics)
    {
        var binpack = usage.BinPackScore(g.Ask);
        metrics.ScoreNode(new NodeScoreMeta { NodeID = usage.Node.ID, Scores = new() { [BinPack] = binpack }, NormScore = binpack });
    }
}
