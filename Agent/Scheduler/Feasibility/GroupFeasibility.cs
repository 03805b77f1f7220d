using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>
/// What a node must offer a task group regardless of where the job's other allocations are: the job's
/// constraints, a detected and healthy driver for every task, the group's and tasks' constraints, then the group's host volumes
/// (Nomad's feasibility checkers, in that order). The placement-dependent operands (distinct_hosts,
/// distinct_property) are collected here and enforced by <see cref="PlacementContext"/>.
/// </summary>
public sealed class GroupFeasibility
{
    /// <summary>The reason Nomad's metrics give for a node without a task's driver.</summary>
    public const string MissingDrivers = "missing drivers";

    private readonly Constraint[] _jobConstraints;
    private readonly string[] _drivers;
    private readonly Constraint[] _groupConstraints;
    private readonly string[] _jobDescriptions;
    private readonly string[] _groupDescriptions;
    private readonly HostVolumeChecker _hostVolumes;

    /// <summary>No two allocations of the job (job level) or of the group (group level) on one node.</summary>
    public bool DistinctHostsJob { get; }
    public bool DistinctHostsGroup { get; }
    /// <summary>distinct_property constraints and whether each applies to the whole job (else the group).</summary>
    public IReadOnlyList<(Constraint Constraint, bool JobLevel)> DistinctProperties { get; }

    public GroupFeasibility(Job job, TaskGroup group)
    {
        var jobC = job.Constraints ?? [];
        var groupC = (group.Constraints ?? []).Concat(group.Tasks.SelectMany(t => t.Constraints ?? [])).ToList();
        _jobConstraints = jobC.Where(c => !ConstraintChecker.IsPlacementOperand(c.Operand)).ToArray();
        _groupConstraints = groupC.Where(c => !ConstraintChecker.IsPlacementOperand(c.Operand)).ToArray();
        _jobDescriptions = _jobConstraints.Select(ConstraintChecker.Describe).ToArray();
        _groupDescriptions = _groupConstraints.Select(ConstraintChecker.Describe).ToArray();
        _drivers = group.Tasks.Select(t => t.Driver).Where(d => d.Length > 0).Distinct().ToArray();
        _hostVolumes = new HostVolumeChecker(group);
        DistinctHostsJob = jobC.Any(c => c.Operand == ConstraintOperand.DistinctHosts && IsTrue(c.RTarget));
        DistinctHostsGroup = groupC.Any(c => c.Operand == ConstraintOperand.DistinctHosts && IsTrue(c.RTarget));
        DistinctProperties = jobC.Where(c => c.Operand == ConstraintOperand.DistinctProperty).Select(c => (c, true))
            .Concat(groupC.Where(c => c.Operand == ConstraintOperand.DistinctProperty).Select(c => (c, false))).ToList();
    }

    // distinct_hosts takes an optional boolean RTarget; empty means true.
    private static bool IsTrue(string s) => s.Length == 0 || !bool.TryParse(s, out var b) || b;

    /// <summary>Null when the node is feasible, otherwise the metric key of the first check it failed.</summary>
    public string? Check(Node node)
    {
        for (var i = 0; i < _jobConstraints.Length; i++)
            if (!ConstraintChecker.Satisfied(_jobConstraints[i], node)) return _jobDescriptions[i];
        foreach (var d in _drivers)
            if (!node.Drivers.TryGetValue(d, out var info) || !info.Detected || !info.Healthy) return MissingDrivers;
        for (var i = 0; i < _groupConstraints.Length; i++)
            if (!ConstraintChecker.Satisfied(_groupConstraints[i], node)) return _groupDescriptions[i];
        if (!_hostVolumes.Feasible(node)) return HostVolumeChecker.MissingHostVolumes;
        return null;
    }
}
