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
}
