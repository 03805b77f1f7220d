using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Preemption;

/// <summary>CPU, memory and disk: what an allocation holds or a placement asks (Nomad's ComparableResources, less networks).</summary>
public readonly record struct ResourceAmount(long Cpu, long MemoryMB, long DiskMB)
{
    public static ResourceAmount Of(Allocation a)
    {
        long cpu = 0, mem = 0;
        foreach (var t in a.AllocatedResources.Tasks.Values)
        {
            cpu += t.Cpu.CpuShares;
            mem += t.Memory.MemoryMB;
        }
        return new(cpu, mem, a.AllocatedResources.Shared.DiskMB);
    }

    public static ResourceAmount Of(GroupAsk ask) => new(ask.Cpu, ask.MemoryMB, ask.DiskMB);

    public static ResourceAmount operator +(ResourceAmount a, ResourceAmount b) => new(a.Cpu + b.Cpu, a.MemoryMB + b.MemoryMB, a.DiskMB + b.DiskMB);
    public static ResourceAmount operator -(ResourceAmount a, ResourceAmount b) => new(a.Cpu - b.Cpu, a.MemoryMB - b.MemoryMB, a.DiskMB - b.DiskMB);

    /// <summary>Whether this covers <paramref name="ask"/> in every dimension.</summary>
    public bool Covers(ResourceAmount ask) => Cpu >= ask.Cpu && MemoryMB >= ask.MemoryMB && DiskMB >= ask.DiskMB;
}

/// <summary>
/// Which allocations of a node to evict so that a placement fits (Nomad's Preemptor, for CPU, memory and disk):
/// only allocations of jobs at least <see cref="PriorityDelta"/> below the placing job's priority qualify; the
/// lowest priorities go first, within a priority the allocation whose resources are closest to what is still
/// needed (with a penalty for taking more of one group than its migrate max_parallel), until the placement fits;
/// then the set is trimmed of allocations that turned out unnecessary.
/// </summary>
public static class Preemptor
{
    /// <summary>Nomad preempts only jobs whose priority is at least this much lower.</summary>
    public const int PriorityDelta = 10;

    /// <summary>Nomad's maxParallelPenalty: per allocation of a group beyond its max_parallel already being preempted.</summary>
    private const double MaxParallelPenalty = 50.0;

    /// <param name="jobPriority">the priority of the job being placed</param>
    /// <param name="capacity">what the node offers for allocations (its resources less what it reserves)</param>
    /// <param name="current">the allocations the node would hold under the plan so far</param>
    /// <param name="ask">what the placement needs</param>
    /// <param name="alreadyPreempted">allocations the plan already evicts (elsewhere), for the max_parallel penalty</param>
    /// <returns>the allocations to evict, or null when no qualifying set frees enough</returns>
    public static List<Allocation>? Select(int jobPriority, ResourceAmount capacity, IReadOnlyCollection<Allocation> current,
        ResourceAmount ask, IEnumerable<Allocation>? alreadyPreempted = null)
    {
        var free = capacity;
        foreach (var a in current) free -= ResourceAmount.Of(a);
        if (free.Covers(ask)) return [];

        var counts = new Dictionary<(string, string), int>();
        foreach (var a in alreadyPreempted ?? []) counts[(a.JobID, a.TaskGroup)] = counts.GetValueOrDefault((a.JobID, a.TaskGroup)) + 1;

        var groups = current.Where(a => a.Job is not null && jobPriority - a.Job.Priority >= PriorityDelta)
            .GroupBy(a => a.Job!.Priority).OrderBy(g => g.Key).Select(g => g.ToList());
        var chosen = new List<Allocation>();
        var available = free;
        var needed = ask;
        var met = false;
        foreach (var group in groups)
        {
            while (group.Count > 0 && !met)
            {
                var best = 0;
                var bestDistance = double.MaxValue;
                for (var i = 0; i < group.Count; i++)
                {
                    var d = Distance(needed, ResourceAmount.Of(group[i])) + Penalty(group[i], counts);
                    if (d < bestDistance) { bestDistance = d; best = i; }
                }
                var pick = group[best];
                group.RemoveAt(best);
                var r = ResourceAmount.Of(pick);
                available += r;
                needed -= r;
                chosen.Add(pick);
                counts[(pick.JobID, pick.TaskGroup)] = counts.GetValueOrDefault((pick.JobID, pick.TaskGroup)) + 1;
                met = available.Covers(ask);
            }
            if (met) break;
        }
        if (!met) return null;

        // Nomad's filterSuperset: from the farthest from the ask down, keep allocations only until the ask is covered.
        chosen.Sort((x, y) => Distance(ask, ResourceAmount.Of(y)).CompareTo(Distance(ask, ResourceAmount.Of(x))));
        var kept = new List<Allocation>();
        available = free;
        foreach (var a in chosen)
        {
            kept.Add(a);
            available += ResourceAmount.Of(a);
            if (available.Covers(ask)) break;
        }
        return kept;
    }

    /// <summary>Nomad's basicResourceDistance: how far an allocation's resources are from what is needed, per dimension relative to the need.</summary>
    public static double Distance(ResourceAmount needed, ResourceAmount used)
    {
        double Coord(long n, long u) => n > 0 ? (double)(n - u) / n : 0;
        var mem = Coord(needed.MemoryMB, used.MemoryMB);
        var cpu = Coord(needed.Cpu, used.Cpu);
        var disk = Coord(needed.DiskMB, used.DiskMB);
        return Math.Sqrt(mem * mem + cpu * cpu + disk * disk);
    }

    private static double Penalty(Allocation a, Dictionary<(string, string), int> counts)
    {
        var maxParallel = a.Job?.TaskGroups.FirstOrDefault(g => g.Name == a.TaskGroup)?.Migrate?.MaxParallel ?? 0;
        var n = counts.GetValueOrDefault((a.JobID, a.TaskGroup));
        return maxParallel > 0 && n >= maxParallel ? (n + 1 - maxParallel) * MaxParallelPenalty : 0;
    }
}
