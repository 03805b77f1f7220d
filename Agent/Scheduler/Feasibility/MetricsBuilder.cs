using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>The mutable counterpart of <see cref="AllocMetric"/>, filled in while one placement is tried.</summary>
public sealed class MetricsBuilder
{
    public int NodesEvaluated;
    public int NodesFiltered;
    public int NodesExhausted;
    public int CoalescedFailures;
    public long StartTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    public Dictionary<string, int>? NodesAvailable;
    public Dictionary<string, int>? ConstraintFiltered;
    public Dictionary<string, int>? ClassFiltered;
    public Dictionary<string, int>? ClassExhausted;
    public Dictionary<string, int>? DimensionExhausted;

    /// <summary>Nomad keeps the scores of this many best nodes per placement (MaxRetainedNodeScores).</summary>
    public const int MaxRetainedNodeScores = 5;
    private List<NodeScoreMeta>? _topScores;

    /// <summary>Whether a node with final score <paramref name="normScore"/> would be among the best kept so far.</summary>
    public bool WouldKeep(double normScore) =>
        _topScores is null || _topScores.Count < MaxRetainedNodeScores || normScore > _topScores[^1].NormScore;

    /// <summary>Records one scored node, keeping only the best <see cref="MaxRetainedNodeScores"/> by final score.</summary>
    public void ScoreNode(NodeScoreMeta meta)
    {
        _topScores ??= new List<NodeScoreMeta>(MaxRetainedNodeScores + 1);
        if (_topScores.Count == MaxRetainedNodeScores && meta.NormScore <= _topScores[^1].NormScore) return;
        var at = _topScores.FindIndex(m => m.NormScore < meta.NormScore);
        _topScores.Insert(at < 0 ? _topScores.Count : at, meta);
        if (_topScores.Count > MaxRetainedNodeScores) _topScores.RemoveAt(MaxRetainedNodeScores);
    }

    public void Filter(Node node, string constraint)
    {
        NodesFiltered++;
        Bump(ref ConstraintFiltered, constraint);
        if (node.NodeClass.Length > 0) Bump(ref ClassFiltered, node.NodeClass);
    }

    public void Exhaust(Node node, string dimension)
    {
        NodesExhausted++;
        Bump(ref DimensionExhausted, dimension);
        if (node.NodeClass.Length > 0) Bump(ref ClassExhausted, node.NodeClass);
    }

    private static void Bump(ref Dictionary<string, int>? map, string key)
    {
        map ??= new Dictionary<string, int>(StringComparer.Ordinal);
        map[key] = map.TryGetValue(key, out var n) ? n + 1 : 1;
    }

    public AllocMetric Build() => new()
    {
        NodesEvaluated = NodesEvaluated,
        NodesFiltered = NodesFiltered,
        NodesAvailable = NodesAvailable,
        ClassFiltered = ClassFiltered,
        ConstraintFiltered = ConstraintFiltered,
        NodesExhausted = NodesExhausted,
        ClassExhausted = ClassExhausted,
        DimensionExhausted = DimensionExhausted,
        CoalescedFailures = CoalescedFailures,
        ScoreMetaData = _topScores is null ? null : [.. _topScores],
        AllocationTime = (long)System.Diagnostics.Stopwatch.GetElapsedTime(StartTimestamp).Ticks * 100,
    };
}
