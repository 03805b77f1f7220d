using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// A task's <c>volume_mount</c>s as the driver mounts them: each names a group <c>volume</c> of type host, whose source
/// is one of the node's host volumes. Read-only when the node's volume, the group's request or the mount says so.
/// </summary>
public static class TaskMounts
{
    /// <exception cref="InvalidOperationException">a mount names a volume the group or the node does not have.</exception>
    public static List<TaskMount> Resolve(Allocation alloc, JobTask task, Node node)
    {
        var mounts = new List<TaskMount>();
        if (task.VolumeMounts is not { Count: > 0 }) return mounts;
        var group = alloc.Job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup) ?? new TaskGroup();
        foreach (var m in task.VolumeMounts ?? [])
        {
            if (group.Volumes?.GetValueOrDefault(m.Volume) is not { } request)
                throw new InvalidOperationException($"volume mount references undefined volume {m.Volume}");
            if (request.Type != "host") continue;
            if (node.HostVolumes?.GetValueOrDefault(request.Source) is not { } offered)
                throw new InvalidOperationException($"No host volume named: {request.Source}");
            mounts.Add(new TaskMount(m.Destination, offered.Path, offered.ReadOnly || request.ReadOnly || m.ReadOnly,
                m.PropagationMode.Length > 0 ? m.PropagationMode : "private"));
        }
        return mounts;
    }
}
