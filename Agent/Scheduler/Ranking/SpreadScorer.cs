using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Ranking;

/// <summary>
/// Nomad's SpreadIterator for one task group: the spreads of the group and the job. With targets, a node whose
/// attribute value has fewer allocations than its share (percent of the group's count) scores the missing fraction,
/// weighted by the spread's weight over the sum of weights, and a value over its share scores negative; values not
/// named share what the targets leave ("*"), or score −1 when they leave nothing. Without targets, values with the
/// fewest allocations score up and the others down (even spread). A node missing the attribute scores −1.
/// </summary>
public sealed class SpreadScorer
{
    private const string ImplicitTarget = "*";

    private sealed record Rule(string Attribute, int Weight, Dictionary<string, double> Desired, HashSet<string> Targets);

    private readonly List<Rule> _rules = new();
    private readonly int _sumWeights;
    private readonly string _group;
    // Nomad's lowestSpreadBoost: what a value whose desired count is zero scores (the worst boost seen so far).
    private double _lowestBoost = -1.0;
    // The counts per rule, fetched once per scheduling attempt (the context is the attempt's).
    private PlacementContext? _countsFor;
    private DistinctPropertyTracker[] _counts = [];

    public SpreadScorer(Job job, TaskGroup group)
    {
        _group = group.Name;
        foreach (var s in (group.Spreads ?? []).Concat(job.Spreads ?? []))
        {
            var desired = new Dictionary<string, double>(StringComparer.Ordinal);
            var sum = 0.0;
            foreach (var t in s.SpreadTarget ?? [])
            {
                var count = t.Percent / 100.0 * group.Count;
                desired[t.Value] = count;
                sum += count;
            }
            if (sum > 0 && sum < group.Count) desired[ImplicitTarget] = group.Count - sum;
            _rules.Add(new Rule(s.Attribute, s.Weight, desired, (s.SpreadTarget ?? []).Select(t => t.Value).ToHashSet(StringComparer.Ordinal)));
            _sumWeights += s.Weight;
        }
    }

    public bool Any => _rules.Count > 0;

    /// <summary>The node's spread score under the plan so far; 0 means it does not count.</summary>
    public double Score(PlacementContext ctx, Node node)
    {
        if (!ReferenceEquals(_countsFor, ctx))
        {
            _counts = _rules.Select(r => ctx.PropertyCounts(r.Attribute, _group)).ToArray();
            _countsFor = ctx;
        }
        var total = 0.0;
        for (var i = 0; i < _rules.Count; i++)
        {
            var rule = _rules[i];
            var (value, found) = ConstraintTarget.Resolve(rule.Attribute, node);
            if (!found) { total -= 1.0; continue; }
            var counts = _counts[i].Counts;
            if (rule.Desired.Count == 0)
            {
                total += EvenSpreadBoost(counts, value!);
                continue;
            }
            var key = Targeted(rule, value!);
            var used = Used(rule, counts, key) + 1; // counting the allocation being placed
            if (!rule.Desired.TryGetValue(key, out var desired)) { total -= 1.0; continue; }
            if (desired == 0) { total += _lowestBoost; continue; }
            var boost = (desired - used) / desired * ((double)rule.Weight / _sumWeights);
            total += boost;
            if (boost < _lowestBoost) _lowestBoost = boost;
        }
        return total;
    }

    /// <summary>Values that are not targets count together as "*" (when there are targets).</summary>
    private static string Targeted(Rule rule, string value) =>
        rule.Targets.Count == 0 || rule.Targets.Contains(value) ? value : ImplicitTarget;

    private static int Used(Rule rule, IReadOnlyDictionary<string, int> counts, string key)
    {
        if (key != ImplicitTarget) return counts.TryGetValue(key, out var n) ? Math.Max(0, n) : 0;
        var sum = 0;
        foreach (var (v, n) in counts)
            if (!rule.Targets.Contains(v)) sum += Math.Max(0, n);
        return sum;
    }

    /// <summary>Nomad's evenSpreadScoreBoost: up for the least used value, down for the others, −1 when all are even.</summary>
    private static double EvenSpreadBoost(IReadOnlyDictionary<string, int> counts, string value)
    {
        if (counts.Count == 0) return 0.0;
        var current = counts.TryGetValue(value, out var c) ? Math.Max(0, c) : 0;
        int min = 0, max = 0;
        foreach (var n0 in counts.Values)
        {
            var n = Math.Max(0, n0);
            if (min == 0 || n < min) min = n;
            if (max == 0 || n > max) max = n;
        }
        var deltaBoost = min == 0 ? -1.0 : (double)(min - current) / min;
        if (current != min) return deltaBoost;
        if (min == max) return -1.0;
        if (min == 0) return 1.0;
        return (double)(max - min) / min;
    }
}
