using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Scheduler.Ranking;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Picks a node for one allocation the way Nomad's generic stack does: walk the candidate nodes in a
/// random order (continuing where the previous placement stopped, so allocations spread), drop the
/// infeasible and the exhausted ones, score the first <c>limit</c> that fit and take the best. Nodes whose
/// score is not positive (crowded with the same group) are passed over up to three times, as Nomad's
/// LimitIterator does.
/// </summary>
public sealed class NodeSelector
{
    private const int MaxSkip = 3;
    private readonly Node[] _nodes;
    private readonly int _limit;
    private int _offset;

    public int CandidateCount => _nodes.Length;

    public NodeSelector(Node[] candidates, bool batch, Random random)
    {
        _nodes = (Node[])candidates.Clone();
        random.Shuffle(_nodes);
        // Nomad: batch jobs score 2 nodes; service jobs at least 2 and log2(#nodes).
        _limit = 2;
        if (!batch && _nodes.Length > 0) _limit = Math.Max(2, (int)Math.Ceiling(Math.Log2(_nodes.Length)));
    }

    /// <summary>The order the selector walks (tests use it to see that every node can be reached).</summary>
    public IReadOnlyList<Node> Order => _nodes;

    public (NodeUsage Usage, double Score)? Select(PlacementContext ctx, GroupPlan g, MetricsBuilder metrics, string? penaltyNodeId)
    {
        var seen = 0;          // nodes pulled this placement (each node at most once)
        var scored = 0;        // nodes that fit and counted against the limit
        (NodeUsage Usage, double Score)? best = null;
        var skippedCount = 0;
        var skippedUsage = new NodeUsage?[MaxSkip];
        var skippedScore = new double[MaxSkip];

        // Affinities and spreads need a wider look than the power of two choices (Nomad: count, at least 100).
        var limit = g.Affinity.Any || g.Spread.Any ? Math.Max(NodeScoring.SoftPlacementNodeLimit, g.Group.Count) : _limit;
        while (scored < limit && seen < _nodes.Length)
        {
            if (_offset >= _nodes.Length) _offset = 0;
            var position = _offset++;
            seen++;
            var node = _nodes[position];
            metrics.NodesEvaluated++;
            var reason = g.Check(position, node);
            if (reason is not null) { metrics.Filter(node, reason); continue; }
            var usage = ctx.UsageOf(node);
            reason = ctx.CheckPlacementConstraints(g, usage);
            if (reason is not null) { metrics.Filter(node, reason); continue; }
            var dim = usage.Fits(g.Ask);
            if (dim is not null) { metrics.Exhaust(node, dim); continue; }

            var score = NodeScoring.Score(ctx, usage, g, penaltyNodeId, metrics);
            if (score <= 0 && skippedCount < MaxSkip)
            {
                skippedUsage[skippedCount] = usage;
                skippedScore[skippedCount++] = score;
                continue;
            }
            scored++;
            if (best is null || score > best.Value.Score) best = (usage, score);
        }
        // Ran out of nodes before the limit: the passed-over ones are still candidates.
        for (var i = 0; i < skippedCount && scored < limit; i++, scored++)
            if (best is null || skippedScore[i] > best.Value.Score) best = (skippedUsage[i]!, skippedScore[i]);
        return best;
    }

    /// <summary>Bin-packing, averaged with Nomad's job anti-affinity, rescheduling penalty and node affinity when they apply (no spread: that needs the plan).</summary>
    public static double Score(NodeUsage usage, GroupPlan g, string? penaltyNodeId) => NodeScoring.Score(null, usage, g, penaltyNodeId, null);
}
