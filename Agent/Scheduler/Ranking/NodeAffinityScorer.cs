using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Ranking;

/// <summary>
/// Nomad's NodeAffinityIterator for one task group: the affinities of the job, the group and its tasks together;
/// a node scores the sum of the weights of those it matches over the sum of all weights' magnitudes, in [-1, 1].
/// Matching uses the constraint operators and targets (<c>${node.datacenter}</c>, <c>${attr.x}</c>, <c>${meta.x}</c>).
/// </summary>
public sealed class NodeAffinityScorer
{
    private readonly List<Affinity> _affinities = new();
    private readonly double _sumWeight;
    // A node's score does not change within an evaluation: computed once per node.
    private readonly Dictionary<string, double> _byNode = new(StringComparer.Ordinal);

    public NodeAffinityScorer(Job job, TaskGroup group)
    {
        _affinities.AddRange(job.Affinities ?? []);
        _affinities.AddRange(group.Affinities ?? []);
        foreach (var t in group.Tasks) _affinities.AddRange(t.Affinities ?? []);
        foreach (var a in _affinities) _sumWeight += Math.Abs(a.Weight);
    }

    public bool Any => _affinities.Count > 0;

    /// <summary>0 when the node matches none (or the weights cancel out): then the score does not count.</summary>
    public double Score(Node node)
    {
        if (_affinities.Count == 0) return 0;
        if (_byNode.TryGetValue(node.ID, out var cached)) return cached;
        var total = 0.0;
        foreach (var a in _affinities)
            if (Matches(a, node)) total += a.Weight;
        var score = _sumWeight == 0 ? 0 : total / _sumWeight;
        _byNode[node.ID] = score;
        return score;
    }

    public static bool Matches(Affinity a, Node node)
    {
        var (l, lFound) = ConstraintTarget.Resolve(a.LTarget, node);
        var (r, rFound) = ConstraintTarget.Resolve(a.RTarget, node);
        return ConstraintChecker.Check(a.Operand, l, lFound, r, rFound);
    }
}
