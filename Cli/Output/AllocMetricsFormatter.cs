using System.Text;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Output;

/// <summary>
/// Nomad's formatAllocMetrics: why placement failed, one "* ..." line per reason. Go prints map entries in random
/// order; here they are sorted so the output is stable.
/// </summary>
public static class AllocMetricsFormatter
{
    /// <returns>the lines joined by "\n", no trailing newline; empty when there is nothing to say.</returns>
    public static string Format(AllocMetric metrics, string prefix)
    {
        var text = new StringBuilder();
        void Line(string s) => text.Append(prefix).Append(s).Append('\n');

        if (metrics.NodesEvaluated == 0) Line("* No nodes were eligible for evaluation");
        foreach (var (dc, available) in Sorted(metrics.NodesAvailable))
            if (available == 0) Line($"* No nodes are available in datacenter {GoText.Quote(dc)}");
        foreach (var (cls, n) in Sorted(metrics.ClassFiltered)) Line($"* Class {GoText.Quote(cls)} filtered {n} nodes");
        foreach (var (cs, n) in Sorted(metrics.ConstraintFiltered)) Line($"* Constraint {GoText.Quote(cs)} filtered {n} nodes");
        if (metrics.NodesExhausted > 0) Line($"* Resources exhausted on {metrics.NodesExhausted} nodes");
        foreach (var (cls, n) in Sorted(metrics.ClassExhausted)) Line($"* Class {GoText.Quote(cls)} exhausted on {n} nodes");
        foreach (var (dim, n) in Sorted(metrics.DimensionExhausted)) Line($"* Dimension {GoText.Quote(dim)} exhausted on {n} nodes");

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// Nomad 1.x's score table (formatAllocMetrics with scores): a row per retained node, best first, with a column per
    /// scorer any of them recorded (alphabetical) and the final score, each as Go's %.3g. Null when nothing was scored.
    /// </summary>
    public static string? Scores(AllocMetric metrics)
    {
        if (metrics.ScoreMetaData is not { Count: > 0 } nodes) return null;
        var scorers = nodes.SelectMany(n => n.Scores.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = new List<IReadOnlyList<string>> { new[] { "Node" }.Concat(scorers).Append("final score").ToList() };
        foreach (var n in nodes)
            rows.Add(new[] { n.NodeID }.Concat(scorers.Select(s => GoText.FormatG3(n.Scores.GetValueOrDefault(s)))).Append(GoText.FormatG3(n.NormScore)).ToList());
        return Columns.Table(rows);
    }

    /// <summary>"Task Group "x" (failed to place N allocation[s]):", as the monitor, eval status and plan print it.</summary>
    public static string FailedToPlace(string group, AllocMetric metrics)
    {
        var noun = metrics.CoalescedFailures > 0 ? "allocations" : "allocation";
        return $"Task Group {GoText.Quote(group)} (failed to place {metrics.CoalescedFailures + 1} {noun}):";
    }

    /// <summary>Nomad's sortedTaskGroupFromMetrics: group names in order.</summary>
    public static List<string> SortedGroups(Dictionary<string, AllocMetric>? failed) =>
        (failed ?? new()).Keys.Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<KeyValuePair<string, int>> Sorted(Dictionary<string, int>? values) =>
        (values ?? new()).OrderBy(p => p.Key, StringComparer.Ordinal);
}
