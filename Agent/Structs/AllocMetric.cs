namespace Nomad.Agent.Structs;

/// <summary>What the scheduler saw while placing an allocation (the subset the CLI prints).</summary>
public sealed record AllocMetric
{
    public int NodesEvaluated { get; init; }
    public int NodesFiltered { get; init; }
    public Dictionary<string, int>? NodesAvailable { get; init; }
    public Dictionary<string, int>? ClassFiltered { get; init; }
    public Dictionary<string, int>? ConstraintFiltered { get; init; }
    public int NodesExhausted { get; init; }
    public Dictionary<string, int>? ClassExhausted { get; init; }
    public Dictionary<string, int>? DimensionExhausted { get; init; }
    /// <summary>Nanoseconds.</summary>
    public long AllocationTime { get; init; }
    public int CoalescedFailures { get; init; }
    /// <summary>The best-scoring nodes of the placement (at most five), highest final score first.</summary>
    public List<NodeScoreMeta>? ScoreMetaData { get; init; }
}

/// <summary>One node's scores in a placement: each scorer that ran ("binpack", "job-anti-affinity", "node-affinity", ...) and the final (normalized) score.</summary>
public sealed record NodeScoreMeta
{
    public string NodeID { get; init; } = "";
    public Dictionary<string, double> Scores { get; init; } = new();
    public double NormScore { get; init; }
}
