using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>
/// distinct_property: at most RTarget (default 1) allocations of the job (or of one group) per value of a
/// node property. Counts the job's allocations per value as the plan grows (spread scoring reads the same counts).
/// </summary>
public sealed class DistinctPropertyTracker(Constraint constraint, string? group, StateSnapshot state)
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly int _limit = int.TryParse(constraint.RTarget, out var n) && n > 0 ? n : 1;

    public bool Allows(Node node)
    {
        var (value, found) = ConstraintTarget.Resolve(constraint.LTarget, node);
        if (!found) return false;
        return (_counts.TryGetValue(value!, out var c) ? c : 0) < _limit;
    }

    /// <summary>Live allocations (of the group, if one was given) per value of the property, under the plan.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    public void Add(Allocation a) => Bump(a, +1);

    public void Remove(Allocation a) => Bump(a, -1);

    private void Bump(Allocation a, int delta)
    {
        if (group is not null && a.TaskGroup != group) return;
        var node = state.NodeById(a.NodeID);
        if (node is null) return;
        var (value, found) = ConstraintTarget.Resolve(constraint.LTarget, node);
        if (!found) return;
        _counts[value!] = (_counts.TryGetValue(value!, out var c) ? c : 0) + delta;
    }
}
