using System.Text.Json;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Whether moving an allocation from the job version it runs to the current one needs a new allocation
/// (Nomad's tasksUpdated: tasks, networks or disk changed) or can be done in place (count, policies, meta
/// of the job only). Verdicts are cached per old job version and group.
/// </summary>
public sealed class GroupUpdate(Job current)
{
    private readonly Dictionary<(ulong, string), bool> _destructive = new();

    public enum Kind { None, InPlace, Destructive }

    public Kind For(Allocation alloc, TaskGroup group)
    {
        var old = alloc.Job;
        if (old is null || ReferenceEquals(old, current)) return Kind.None;
        if (old.JobModifyIndex == current.JobModifyIndex && old.Version == current.Version) return Kind.None;
        var key = (old.JobModifyIndex, group.Name);
        if (!_destructive.TryGetValue(key, out var destructive))
        {
            var oldGroup = old.TaskGroups.FirstOrDefault(g => g.Name == group.Name);
            _destructive[key] = destructive = oldGroup is null || Spec(oldGroup) != Spec(group);
        }
        return destructive ? Kind.Destructive : Kind.InPlace;
    }

    // What an allocation is built from: changing any of it means new resources or a new process.
    private static string Spec(TaskGroup g) => JsonSerializer.Serialize(new { g.Tasks, g.Networks, g.EphemeralDisk }, StateJson.Options);
}
