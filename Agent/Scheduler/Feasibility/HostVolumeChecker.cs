using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>
/// Nomad's HostVolumeChecker: a node is feasible for a group only if it offers every host volume the group's
/// <c>volume</c> blocks name (by source), and a volume the node offers read-only only to requests that are read-only.
/// </summary>
public sealed class HostVolumeChecker
{
    /// <summary>The reason Nomad's metrics give for a node without the group's host volumes.</summary>
    public const string MissingHostVolumes = "missing compatible host volumes";

    // Source → whether every request for it is read-only (one group may name a source more than once).
    private readonly Dictionary<string, bool> _sources = new(StringComparer.Ordinal);

    public HostVolumeChecker(TaskGroup group)
    {
        foreach (var v in (group.Volumes ?? new()).Values)
            if (v.Type == "host") _sources[v.Source] = _sources.GetValueOrDefault(v.Source, true) && v.ReadOnly;
    }

    public bool Feasible(Node node)
    {
        foreach (var (source, readOnly) in _sources)
        {
            if (node.HostVolumes is null || !node.HostVolumes.TryGetValue(source, out var offered)) return false;
            if (offered.ReadOnly && !readOnly) return false;
        }
        return true;
    }
}
