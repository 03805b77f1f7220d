using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Scheduler.Ranking;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>A task group being placed in one evaluation: its ask, its feasibility rules and their verdict per candidate node.</summary>
public sealed class GroupPlan
{
    public TaskGroup Group { get; }
    public GroupAsk Ask { get; }
    public GroupFeasibility Feasibility { get; }
    /// <summary>Soft placement preferences of the job, the group and its tasks (scored, never filtering).</summary>
    public NodeAffinityScorer Affinity { get; }
    public SpreadScorer Spread { get; }
    /// <summary>The first placement failure of the group (later failures only bump CoalescedFailures, as in Nomad).</summary>
    public MetricsBuilder? Failure { get; set; }
    public int FailedCount { get; set; }

    // Verdicts by candidate position: 0 unknown, 1 feasible, 2 filtered (reason kept for the metrics).
    private readonly byte[] _known;
    private readonly string?[] _reasons;

    public GroupPlan(Job job, TaskGroup group, int candidates)
    {
        Group = group;
        Ask = new GroupAsk(group);
        Feasibility = new GroupFeasibility(job, group);
        Affinity = new NodeAffinityScorer(job, group);
        Spread = new SpreadScorer(job, group);
        _known = new byte[candidates];
        _reasons = new string?[candidates];
    }

    /// <summary>Null when the candidate at <paramref name="position"/> passes the node-level checks, else the reason.</summary>
    public string? Check(int position, Node node)
    {
        switch (_known[position])
        {
            case 1: return null;
            case 2: return _reasons[position];
        }
        var reason = Feasibility.Check(node);
        _known[position] = reason is null ? (byte)1 : (byte)2;
        _reasons[position] = reason;
        return reason;
    }
}
